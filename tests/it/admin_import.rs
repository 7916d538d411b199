//! Bulk invitations from a CSV upload (SPEC §6.1): the preview shows every row's fate and
//! writes nothing; the confirmation invites in one transaction, mails single-use links and
//! writes its audit record; a limit in the file applies when the invitee's account opens.
//! Bad files, CSRF on multipart, the size limit and who may import are beside this file.

mod files;

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{Browser, Page, TestApp, link_in};

const FORM: &str = "/s/harbour/admin/invitations/import";
const CONFIRM: &str = "/s/harbour/admin/invitations/import/confirm";
const BOUNDARY: &str = "----swapdesk-test-boundary-7MA4YWxk";

/// A space with its admin signed in, a member (Bea) and an applicant (Pia).
async fn harbour() -> (TestApp, Browser) {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Invite).await;
    app.member(space, "admin@example.org", Role::Admin, Status::Active)
        .await;
    app.member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    app.member(space, "pia@example.org", Role::Member, Status::Pending)
        .await;
    let admin = app.signed_in("admin@example.org").await;
    (app, admin)
}

/// A multipart body of text fields and files (`Some(file name)`), in the order given.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, data) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let disposition = match file_name {
            Some(file) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: text/csv\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// Opens the form and uploads `csv` as the file, with the page's CSRF token first.
async fn upload(browser: &mut Browser, csv: &[u8]) -> Page {
    let form = browser.get(FORM).await;
    assert_eq!(form.status, StatusCode::OK);
    let token = browser.csrf.clone().unwrap();
    let body = multipart(&[
        ("csrf", None, token.as_bytes()),
        ("file", Some("people.csv"), csv),
    ]);
    browser.post_bytes(FORM, body, &content_type()).await
}

/// The value of a hidden field on a page, unescaped as a browser reads it.
fn hidden(page: &Page, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.body.find(&marker).expect("the field is on the page") + marker.len();
    let end = page.body[start..].find('"').unwrap();
    page.body[start..start + end]
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
}

/// Confirms a preview as its form would: the file it carries comes back with the line
/// breaks a browser sends (`\r\n`).
async fn confirm(browser: &mut Browser, preview: &Page) -> Page {
    let csv = hidden(preview, "csv").replace('\n', "\r\n");
    confirm_with(browser, preview, &csv).await
}

async fn confirm_with(browser: &mut Browser, preview: &Page, csv: &str) -> Page {
    let body = multipart(&[
        ("csrf", None, preview.csrf().unwrap().as_bytes()),
        ("digest", None, hidden(preview, "digest").as_bytes()),
        ("csv", None, csv.as_bytes()),
    ]);
    browser.post_bytes(CONFIRM, body, &content_type()).await
}

/// What the import has written: invitations, outbox emails and import audit records.
async fn written(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("select count(*) from invitations").await,
        app.count("select count(*) from email_outbox").await,
        app.count("select count(*) from audit_log where action = 'invitations.imported'")
            .await,
    )
}

/// The credit limit of the ledger account of `email`'s membership.
async fn limit_of(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar(
        "select a.credit_limit from ledger_accounts a
         join memberships m on m.id = a.membership_id join people p on p.id = m.person_id
         where p.email = $1",
    )
    .bind(email)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_good_file_is_previewed_then_imported_with_single_use_links_and_its_limits() {
    let (app, mut admin) = harbour().await;
    app.person("dina@example.org", "Dina Has-An-Account").await;
    let list = admin.get("/s/harbour/admin/invitations").await;
    assert!(list.has(&format!("href=\"{FORM}\"")));
    // With a byte order mark, as Excel saves "CSV UTF-8"; quoted fields with commas.
    let csv = "\u{feff}name,email,credit_limit\r\n\"Jones, Carl\",carl@example.org,50\r\nDina,dina@example.org,12.5\r\nEve,eve@example.org,\r\n";
    let preview = upload(&mut admin, csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.has("Jones, Carl") && preview.has("50.00") && preview.has("12.50"));
    assert!(preview.has("The space&#39;s default"));
    assert_eq!(preview.body.matches("fate-invite").count(), 3);
    assert!(preview.has("Send 3 invitations"));
    // Nothing is written before the confirmation.
    assert_eq!(written(&app).await, (0, 0, 0));

    let done = confirm(&mut admin, &preview).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.has("3 invitations sent, 0 lines skipped"));
    assert_eq!(written(&app).await, (3, 3, 1));
    let detail: serde_json::Value =
        sqlx::query_scalar("select detail from audit_log where action = 'invitations.imported'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(detail["invited"], 3);
    assert_eq!(detail["duplicates"], 0);
    let limits: Vec<Option<i64>> =
        sqlx::query_scalar("select credit_limit from invitations order by id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(limits, [Some(5000), Some(1250), None]);

    // Carl has no account: he registers through his link, and his limit is there at once.
    let (subject, body) = app.email_to("carl@example.org").await.unwrap();
    assert_eq!(subject, "You are invited to join Space harbour on Swapdesk");
    assert!(body.contains("Hello Jones, Carl") && body.contains("works once"));
    let carl_link = link_in(&body);
    assert!(carl_link.starts_with("/invite/"));
    let mut carl = app.browser();
    carl.get(&carl_link).await;
    let joined = carl
        .post(
            &carl_link,
            &[
                ("display_name", "Carl Jones"),
                ("email", "carl@example.org"),
            ],
        )
        .await;
    assert!(joined.has("Check your email"), "{}", joined.body);
    crate::joining::confirm(&app, &mut carl, "carl@example.org").await;
    assert_eq!(limit_of(&app, "carl@example.org").await, 5000);

    // Dina has an account: signed in, she accepts hers.
    let dina_link = link_in(&app.email_to("dina@example.org").await.unwrap().1);
    let mut dina = app.signed_in("dina@example.org").await;
    dina.get(&dina_link).await;
    let accepted = dina.post(&dina_link, &[]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    assert_eq!(limit_of(&app, "dina@example.org").await, 1250);

    // Eve's line named no limit: she gets the space's default.
    let eve_link = link_in(&app.email_to("eve@example.org").await.unwrap().1);
    let mut eve = app.browser();
    eve.get(&eve_link).await;
    eve.post(
        &eve_link,
        &[("display_name", "Eve"), ("email", "eve@example.org")],
    )
    .await;
    let default: i64 =
        sqlx::query_scalar("select default_credit_limit from spaces where slug = 'harbour'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(limit_of(&app, "eve@example.org").await, default);

    // Each link works once.
    let mut someone = app.browser();
    assert_eq!(someone.get(&carl_link).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn members_and_duplicates_in_the_file_are_shown_and_skipped() {
    let (app, mut admin) = harbour().await;
    let csv = "name,email,credit_limit
Bea,bea@example.org,
Bea again,BEA@example.org,
Carl,carl@example.org,5
Carl twice,Carl@Example.org,7
Pia,pia@example.org,
";
    let preview = upload(&mut admin, csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview.body.matches("fate-member").count(), 2);
    assert!(preview.has("Waiting for approval"));
    assert!(preview.has("Duplicate of line 2") && preview.has("Duplicate of line 4"));
    assert!(preview.has("Send 1 invitation<"));
    assert_eq!(written(&app).await, (0, 0, 0));

    let done = confirm(&mut admin, &preview).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.has("1 invitation sent, 4 lines skipped"));
    assert!(done.has("Already a member") && done.has("Duplicate of line 4"));
    assert_eq!(written(&app).await, (1, 1, 1));
    assert_eq!(app.emails_to("carl@example.org").await, 1);
    assert_eq!(app.emails_to("Carl@Example.org").await, 0);
    assert_eq!(app.emails_to("bea@example.org").await, 0);
    let limit: Option<i64> = sqlx::query_scalar("select credit_limit from invitations")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(limit, Some(500));
}

#[tokio::test]
async fn invalid_rows_say_why_and_are_never_invited() {
    let (app, mut admin) = harbour().await;
    let long_name = "N".repeat(81);
    let csv = format!(
        "name,email,credit_limit
,nameless@example.org,
{long_name},long@example.org,
Bad Email,not-an-address,
Bad Limit,limit@example.org,lots
Cents,cents@example.org,1.234
Huge,huge@example.org,2000000
=HYPERLINK(\"http://evil.example\"),formula@example.org,
Plus,+plus@example.org,
At,at@example.org,@SUM(A1)
\tTabbed,tab@example.org,
Minus,minus@example.org,-5
Wide,wide@example.org,5,extra
<b>Fine</b>,fine@example.org,
"
    );
    let preview = upload(&mut admin, csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview.body.matches("fate-invalid").count(), 12);
    for why in [
        "The name is empty",
        "The name is longer than 80 characters",
        "The email address is not valid",
        "The credit limit is not a number from 0 to 1,000,000",
        "A cell starts with =, +, -, @ or a tab",
        "The line has more than three cells",
    ] {
        assert!(preview.has(why), "{why}");
    }
    assert_eq!(
        preview.body.matches("A cell starts with =").count(),
        5,
        "=, +, @, a tab and a minus"
    );
    // User text is escaped, never markup.
    assert!(preview.has("&#60;b&#62;Fine&#60;/b&#62;") && !preview.has("<b>Fine</b>"));
    assert!(preview.has("Send 1 invitation<"));

    let done = confirm(&mut admin, &preview).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.has("1 invitation sent, 12 lines skipped"));
    assert_eq!(written(&app).await, (1, 1, 1));
    assert_eq!(app.emails_to("fine@example.org").await, 1);
}

#[tokio::test]
async fn the_confirmation_judges_the_file_again_and_sends_nothing_when_it_changed() {
    let (app, mut admin) = harbour().await;
    let space: i64 = sqlx::query_scalar("select id from spaces where slug = 'harbour'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let csv = "name,email\nCarl,carl@example.org\nDina,dina@example.org\n";
    let preview = upload(&mut admin, csv.as_bytes()).await;
    assert!(preview.has("Send 2 invitations"));

    // A file edited on its way back is read again, not trusted: nothing is sent.
    let edited = "name,email\nCarl,carl@example.org\nMallory,mallory@example.org\n";
    let refused = confirm_with(&mut admin, &preview, edited).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.has("Nothing was sent") && refused.has("mallory@example.org"));
    // A formula smuggled into the copy is judged like any upload.
    let formula = "name,email\n=1+1,carl@example.org\n";
    let judged = confirm_with(&mut admin, &preview, formula).await;
    assert_eq!(judged.status, StatusCode::CONFLICT);
    assert!(judged.has("fate-invalid") && !judged.has("Send 1 invitation"));
    assert_eq!(written(&app).await, (0, 0, 0));

    // Dina joins between the preview and the confirmation: the import says so first.
    app.member(
        swapdesk::spaces::model::SpaceId(space),
        "dina@example.org",
        Role::Member,
        Status::Active,
    )
    .await;
    let changed = confirm(&mut admin, &preview).await;
    assert_eq!(changed.status, StatusCode::CONFLICT);
    assert!(changed.has("Nothing was sent") && changed.has("Send 1 invitation<"));
    assert_eq!(written(&app).await, (0, 0, 0));
    let done = confirm(&mut admin, &changed).await;
    assert!(
        done.has("1 invitation sent, 1 line skipped"),
        "{}",
        done.body
    );
    assert_eq!(written(&app).await, (1, 1, 1));
}
