//! The admins' outbox (SPEC §7): each email with its status, tries and last error, on the
//! space's clock; never an account email's text; a retry for a failed email, audited and
//! for this space's emails only; and retention of email texts and read notifications.

mod retention;
mod retry;

use axum::http::StatusCode;
use swapdesk::auth::model::PersonId;
use swapdesk::notify::db as notify_db;
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};

use crate::helpers::{Browser, TestApp};

const OUTBOX: &str = "/s/harbour/admin/outbox";
const NOT_FOUND: &str = "We could not find that page";

/// Harbour (on Tokyo's clock) with Ana, its admin, and Bea, a member; Other with Olga, its
/// admin; and a stranger with no space.
struct World {
    app: TestApp,
    harbour: SpaceId,
    other: SpaceId,
    ana: PersonId,
    bea: MembershipId,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let harbour = app.space("harbour", SignupMode::Open).await;
    sqlx::query("update spaces set time_zone = 'Asia/Tokyo' where id = $1")
        .bind(harbour.0)
        .execute(&app.db)
        .await
        .unwrap();
    let (ana, _) = app
        .member(harbour, "ana@example.org", Role::Admin, Status::Active)
        .await;
    let (_, bea) = app
        .member(harbour, "bea@example.org", Role::Member, Status::Active)
        .await;
    let other = app.space("other", SignupMode::Open).await;
    app.member(other, "olga@example.org", Role::Admin, Status::Active)
        .await;
    app.person("stranger@example.org", "Stranger").await;
    World {
        app,
        harbour,
        other,
        ana,
        bea,
    }
}

/// Queues an email of `space`, as `notify::send` does.
async fn queue(w: &World, space: SpaceId, to: &str, subject: &str, body: &str) -> i64 {
    notify_db::enqueue(&w.app.db, Some(space), to, subject, body, false)
        .await
        .unwrap()
}

/// Changes an email behind the app's back: `set` is the SQL after `set`.
async fn change(w: &World, id: i64, set: &str) {
    sqlx::query(&format!("update email_outbox set {set} where id = $1"))
        .bind(id)
        .execute(&w.app.db)
        .await
        .unwrap();
}

/// An email the mailer tried `attempts` times, last failing with `error`.
async fn failed(w: &World, space: SpaceId, subject: &str, attempts: i32, error: &str) -> i64 {
    let id = queue(w, space, "bea@example.org", subject, "Hello").await;
    sqlx::query(
        "update email_outbox set attempts = $2, last_error = $3,
                next_attempt_at = now() + interval '12 hours'
         where id = $1",
    )
    .bind(id)
    .bind(attempts)
    .bind(error)
    .execute(&w.app.db)
    .await
    .unwrap();
    id
}

/// An email as the database has it: tries, last error, and whether it is due now.
async fn row(w: &World, id: i64) -> (i32, Option<String>, bool) {
    sqlx::query_as(
        "select attempts, last_error, next_attempt_at <= now() from email_outbox where id = $1",
    )
    .bind(id)
    .fetch_one(&w.app.db)
    .await
    .unwrap()
}

async fn retries_audited(w: &World) -> i64 {
    w.app
        .count("select count(*) from audit_log where action = 'email.retried'")
        .await
}

async fn ana(w: &World) -> Browser {
    w.app.signed_in("ana@example.org").await
}

#[tokio::test]
async fn an_admin_reads_each_emails_status_tries_and_error_newest_first_on_the_spaces_clock() {
    let w = world().await;
    let queued = queue(&w, w.harbour, "new@example.org", "Welcome aboard", "Hi").await;
    change(&w, queued, "created_at = '2026-01-15 23:30:00+00'").await;
    let sent = queue(&w, w.harbour, "bea@example.org", "Your trade", "Hi").await;
    change(&w, sent, "sent_at = now(), attempts = 1").await;
    failed(
        &w,
        w.harbour,
        "Kudos for you",
        3,
        "550 5.1.1 mailbox unavailable",
    )
    .await;
    failed(&w, w.harbour, "Daily digest", 10, "connection refused").await;
    queue(&w, w.other, "olga@example.org", "Other space news", "Hi").await;

    let mut ana = ana(&w).await;
    let home = ana.get("/s/harbour/admin").await;
    assert!(
        home.has("href=\"/s/harbour/admin/outbox\""),
        "{}",
        home.body
    );
    let list = ana.get(OUTBOX).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.title().starts_with("Outbox · "), "{}", list.title());
    for text in [
        "new@example.org",
        "Welcome aboard",
        "2026-01-16 08:30",
        ">Queued<",
        ">Sent<",
        ">Failed<",
        ">Gave up<",
        "550 5.1.1 mailbox unavailable",
        "connection refused",
        "<td data-label=\"Tries\">10</td>",
        "<td data-label=\"Tries\">3</td>",
    ] {
        assert!(list.has(text), "{text}: {}", list.body);
    }
    assert!(!list.has("Other space news"), "another space's email");
    let position = |text: &str| list.body.find(text).unwrap();
    assert!(position("Daily digest") < position("Kudos for you"));
    assert!(position("Your trade") < position("Welcome aboard"));
}

#[tokio::test]
async fn the_status_filter_lists_only_those_emails_and_stays_in_the_page_links() {
    let w = world().await;
    for n in 0..51 {
        failed(&w, w.harbour, &format!("Failed {n}"), 2, "timed out").await;
    }
    let sent = queue(&w, w.harbour, "bea@example.org", "Delivered one", "Hi").await;
    change(&w, sent, "sent_at = now()").await;
    queue(&w, w.harbour, "bea@example.org", "Waiting one", "Hi").await;
    let mut ana = ana(&w).await;

    let failed_page = ana.get(&format!("{OUTBOX}?status=failed")).await;
    assert!(
        failed_page.has("Page 1 of 2 (51 emails)"),
        "{}",
        failed_page.body
    );
    let links = failed_page.body.replace("&#38;", "&");
    assert!(
        links.contains("/s/harbour/admin/outbox?status=failed&page=2#emails"),
        "the next page keeps the filter"
    );
    assert!(failed_page.has("<option value=\"failed\" selected>"));
    assert!(!failed_page.has("Delivered one") && !failed_page.has("Waiting one"));
    let second = ana.get(&format!("{OUTBOX}?status=failed&page=2")).await;
    assert!(second.has("Failed 0") && !second.has("Failed 50"));

    let sent_page = ana.get(&format!("{OUTBOX}?status=sent")).await;
    assert!(sent_page.has("Delivered one") && !sent_page.has("Failed 3"));
    let queued_page = ana.get(&format!("{OUTBOX}?status=queued")).await;
    assert!(queued_page.has("Waiting one") && !queued_page.has("Delivered one"));
    let all = ana.get(&format!("{OUTBOX}?status=all")).await;
    assert!(all.has("(53 emails)"));

    let bad = ana.get(&format!("{OUTBOX}?status=lost")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("Choose all, queued, sent or failed from the list"));
    assert!(
        bad.has("(53 emails)"),
        "the list shows every email meanwhile"
    );
}

#[tokio::test]
async fn members_strangers_and_admins_of_other_spaces_are_refused() {
    let w = world().await;
    let id = failed(&w, w.harbour, "Kudos for you", 10, "connection refused").await;
    let paths = [OUTBOX.to_owned(), format!("{OUTBOX}/{id}")];
    let retry = format!("{OUTBOX}/{id}/retry");
    for email in [
        "bea@example.org",
        "stranger@example.org",
        "olga@example.org",
    ] {
        let mut who = w.app.signed_in(email).await;
        for path in &paths {
            assert_eq!(
                who.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{email} {path}"
            );
        }
        let page = who.post(&retry, &[]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
    }
    let mut olga = w.app.signed_in("olga@example.org").await;
    let own_space = olga.get(&format!("/s/other/admin/outbox/{id}")).await;
    assert_eq!(
        own_space.status,
        StatusCode::NOT_FOUND,
        "harbour's email in Other"
    );
    let mut anonymous = w.app.browser();
    let page = anonymous.get(&paths[1]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/signin"));
    assert_eq!(row(&w, id).await.0, 10, "nothing changed");
    assert_eq!(retries_audited(&w).await, 0);
}

#[tokio::test]
async fn an_account_emails_text_is_never_shown_and_a_cleared_text_says_so() {
    let w = world().await;
    let link = "http://swapdesk.test/verify/secret-sign-in-token";
    let account = notify_db::enqueue(
        &w.app.db,
        Some(w.harbour),
        "new@example.org",
        "Confirm your email address for Swapdesk",
        &format!("Open this link to confirm: {link}"),
        true,
    )
    .await
    .unwrap();
    let cleared = queue(&w, w.harbour, "bea@example.org", "Last week's digest", "").await;
    change(&w, cleared, "sent_at = now() - interval '8 days'").await;
    let plain = queue(
        &w,
        w.harbour,
        "bea@example.org",
        "Your trade",
        "Cy proposed a logo",
    )
    .await;
    let mut ana = ana(&w).await;

    let page = ana.get(&format!("{OUTBOX}/{account}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Confirm your email address for Swapdesk"));
    assert!(
        page.has(
            "This is an account email: it carries a sign-in link, so its text is never shown."
        )
    );
    assert!(!page.has("secret-sign-in-token"), "{}", page.body);
    assert!(!ana.get(OUTBOX).await.has("secret-sign-in-token"));

    let page = ana.get(&format!("{OUTBOX}/{cleared}")).await;
    assert!(page.has("The text was cleared 7 days after delivery"));
    let page = ana.get(&format!("{OUTBOX}/{plain}")).await;
    assert!(page.has("<pre>Cy proposed a logo</pre>"), "{}", page.body);
    assert!(
        !page.has("Try sending it again now"),
        "a queued email needs no retry"
    );
}

#[tokio::test]
async fn an_email_address_that_names_no_email_is_the_not_found_page() {
    let w = world().await;
    let mut ana = ana(&w).await;
    for path in [
        format!("{OUTBOX}/abc"),
        format!("{OUTBOX}/99999999999999999999"),
        format!("{OUTBOX}/424242"),
        format!("{OUTBOX}/-1"),
    ] {
        let page = ana.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.has(NOT_FOUND), "{path}");
    }
    ana.get(OUTBOX).await;
    let page = ana.post(&format!("{OUTBOX}/abc/retry"), &[]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.has(NOT_FOUND));
}
