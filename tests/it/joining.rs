//! Joining a space in each signup mode; invitations in the file beside this one.

mod invitations;

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{Browser, PASSWORD, TestApp, link_in};

const NEW_PASSWORD: &str = "plenty of words here";

async fn apply(browser: &mut Browser, path: &str, email: &str) -> crate::helpers::Page {
    browser.get(path).await;
    browser
        .post(path, &[("display_name", "Bea Newcomer"), ("email", email)])
        .await
}

/// The confirmation link mailed to `email`.
async fn mailed_link(app: &TestApp, email: &str) -> String {
    let (_, body) = app.email_to(email).await.unwrap();
    link_in(&body)
}

/// Follows the confirmation link mailed to `email` and chooses a password there.
pub async fn confirm(app: &TestApp, browser: &mut Browser, email: &str) {
    let (subject, body) = app.email_to(email).await.expect("a confirmation email");
    assert_eq!(subject, "Confirm your email address for Swapdesk");
    let link = link_in(&body);
    let form = browser.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.has("Choose the password you will sign in with"));
    let done = browser
        .post(
            &link,
            &[
                ("new_password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
}

#[tokio::test]
async fn joining_an_open_space_makes_an_active_member_once_the_email_is_confirmed() {
    let app = TestApp::new().await;
    app.space("open", SignupMode::Open).await;
    let mut browser = app.browser();
    let page = apply(&mut browser, "/s/open/join", "bea@example.org").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Check your email"));
    assert_eq!(
        app.count("select count(*) from memberships where status = 'active'")
            .await,
        1
    );
    // Not signed in until the address is confirmed.
    assert_eq!(browser.get("/s/open").await.status, StatusCode::SEE_OTHER);
    confirm(&app, &mut browser, "bea@example.org").await;
    let home = browser.get("/s/open").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.has("Welcome, Bea Newcomer"));
}

#[tokio::test]
async fn an_approval_space_keeps_applicants_waiting_until_an_admin_approves() {
    let app = TestApp::new().await;
    let space = app.space("club", SignupMode::Approval).await;
    app.member(space, "admin@example.org", Role::Admin, Status::Active)
        .await;
    let mut applicant = app.browser();
    apply(&mut applicant, "/s/club/join", "bea@example.org").await;
    confirm(&app, &mut applicant, "bea@example.org").await;
    let waiting = applicant.get("/s/club").await;
    assert_eq!(waiting.status, StatusCode::OK);
    assert!(waiting.has("Your application is waiting"));
    // The admin hears about it, in their inbox.
    let told = app
        .count("select count(*) from notifications where kind = 'admin_application'")
        .await;
    assert_eq!(told, 1);

    let mut admin = app.signed_in("admin@example.org").await;
    let list = admin.get("/s/club/admin/applications").await;
    assert!(list.has("Bea Newcomer") && list.has("bea@example.org"));
    let id: i64 = sqlx::query_scalar("select id from memberships where status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let done = admin
        .post(&format!("/s/club/admin/applications/{id}/approve"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let home = applicant.get("/s/club").await;
    assert!(
        home.has("Welcome, Bea Newcomer") && home.has("Your credits"),
        "an active member sees the dashboard"
    );
    assert_eq!(
        app.email_to("bea@example.org").await.unwrap().0,
        "Welcome to Space club"
    );
    // The welcome also waits in the new member's inbox, counted in the header.
    assert!(
        home.has("Inbox <span class=\"badge\">1</span>"),
        "{}",
        home.body
    );
    let inbox = applicant.get("/s/club/inbox").await;
    assert!(inbox.has("Welcome! Your application to join Space club is approved"));
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'application.approved'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_declined_application_is_removed_after_a_confirmation_step() {
    let app = TestApp::new().await;
    let space = app.space("club", SignupMode::Approval).await;
    app.member(space, "admin@example.org", Role::Admin, Status::Active)
        .await;
    let (_, pending) = app
        .member(space, "bea@example.org", Role::Member, Status::Pending)
        .await;
    let mut admin = app.signed_in("admin@example.org").await;
    let confirm = admin
        .get(&format!("/s/club/admin/applications/{pending}/decline"))
        .await;
    assert!(
        confirm.has("Decline Bea&#39;s application") || confirm.has("Decline Bea's application")
    );
    let done = admin
        .post(
            &format!("/s/club/admin/applications/{pending}/decline"),
            &[],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("select count(*) from memberships where status = 'pending'")
            .await,
        0
    );
    // Deciding again finds nothing.
    let again = admin
        .post(
            &format!("/s/club/admin/applications/{pending}/decline"),
            &[],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_signed_in_person_joins_another_space_with_one_button() {
    let app = TestApp::new().await;
    let first = app.space("first", SignupMode::Open).await;
    app.space("second", SignupMode::Open).await;
    app.member(first, "ana@example.org", Role::Member, Status::Active)
        .await;
    let mut browser = app.signed_in("ana@example.org").await;
    let form = browser.get("/s/second/join").await;
    assert!(form.has("Join Space second"));
    assert!(!form.has("name=\"password\""));
    let done = browser.post("/s/second/join", &[]).await;
    assert_eq!(done.location(), "/s/second");
    // With two spaces, / offers a choice.
    let chooser = browser.get("/").await;
    assert_eq!(chooser.status, StatusCode::OK);
    assert!(chooser.has("Space first") && chooser.has("Space second"));
}

#[tokio::test]
async fn joining_with_an_address_that_has_an_account_reveals_nothing() {
    let app = TestApp::new().await;
    let space = app.space("open", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let mut browser = app.browser();
    let taken = apply(&mut browser, "/s/open/join", "ana@example.org").await;
    let mut other = app.browser();
    other.ip = [198, 51, 100, 9].into();
    let fresh = apply(&mut other, "/s/open/join", "new@example.org").await;
    assert_eq!(taken.status, fresh.status);
    assert!(taken.has("Check your email") && fresh.has("Check your email"));
    // The account holder is told by email; nothing else changes.
    assert_eq!(
        app.email_to("ana@example.org").await.unwrap().0,
        "You already have a Swapdesk account"
    );
    assert_eq!(app.count("select count(*) from people").await, 2);
    let name: String =
        sqlx::query_scalar("select display_name from people where email = 'ana@example.org'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(name, "Ana");
}

#[tokio::test]
async fn join_requests_are_throttled_per_address() {
    let app = TestApp::new().await;
    app.space("open", SignupMode::Open).await;
    let mut browser = app.browser();
    let allowance = swapdesk::auth::throttle::MAIL_ADDRESS.allowance;
    for i in 0..allowance {
        let page = apply(&mut browser, "/s/open/join", &format!("p{i}@example.org")).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let page = apply(&mut browser, "/s/open/join", "p999@example.org").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.count("select count(*) from people").await,
        i64::from(allowance)
    );
}

#[tokio::test]
async fn the_join_form_asks_for_no_password() {
    let app = TestApp::new().await;
    app.space("open", SignupMode::Open).await;
    let mut browser = app.browser();
    let form = browser.get("/s/open/join").await;
    assert!(form.has("name=\"email\""));
    assert!(!form.has("type=\"password\""));
    let page = apply(&mut browser, "/s/open/join", "bea@example.org").await;
    assert!(page.has("Check your email"));
    assert_eq!(
        app.count("select count(*) from people where password_hash is null")
            .await,
        1
    );
}

/// Someone registers another person's address. They never hold a password for it: the
/// owner chooses one from the mailed link, and only then is anyone signed in.
#[tokio::test]
async fn registering_someone_elses_address_gives_the_registrant_nothing() {
    let app = TestApp::new().await;
    app.space("open", SignupMode::Open).await;
    let mut attacker = app.browser();
    apply(&mut attacker, "/s/open/join", "victim@corp.example").await;
    // No password exists for the attacker to try.
    for guess in [NEW_PASSWORD, PASSWORD, ""] {
        attacker.get("/signin").await;
        let page = attacker
            .post(
                "/signin",
                &[("email", "victim@corp.example"), ("password", guess)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The victim opens the link: that alone signs in nobody.
    let mut victim = app.browser();
    victim.ip = [198, 51, 100, 7].into();
    let link = mailed_link(&app, "victim@corp.example").await;
    let form = victim.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(app.count("select count(*) from sessions").await, 0);
    confirm(&app, &mut victim, "victim@corp.example").await;
    assert_eq!(victim.get("/account").await.status, StatusCode::OK);
    // The attacker still has nothing: their session was never signed in.
    assert_eq!(attacker.get("/account").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("select count(*) from sessions where person_id is not null")
            .await,
        1
    );
}

#[tokio::test]
async fn a_password_refused_on_the_confirmation_page_leaves_the_link_working() {
    let app = TestApp::new().await;
    app.space("open", SignupMode::Open).await;
    let mut bea = app.browser();
    apply(&mut bea, "/s/open/join", "bea@example.org").await;
    let link = mailed_link(&app, "bea@example.org").await;
    bea.get(&link).await;
    let bad = bea
        .post(
            &link,
            &[("new_password", "short"), ("confirm_password", "short")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("There is a problem"));
    confirm(&app, &mut bea, "bea@example.org").await;
    assert_eq!(bea.get("/account").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_registration_retires_every_earlier_link() {
    let app = TestApp::new().await;
    app.space("open", SignupMode::Open).await;
    app.space("second", SignupMode::Approval).await;
    let mut first = app.browser();
    apply(&mut first, "/s/open/join", "bea@example.org").await;
    let old_link = mailed_link(&app, "bea@example.org").await;

    let mut second = app.browser();
    second.ip = [198, 51, 100, 8].into();
    apply(&mut second, "/s/second/join", "bea@example.org").await;
    assert_eq!(app.emails_to("bea@example.org").await, 2);
    assert_eq!(second.get(&old_link).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("select count(*) from account_tokens where used_at is null")
            .await,
        1
    );
    // The newest link works, and the person belongs to both spaces they asked for.
    confirm(&app, &mut second, "bea@example.org").await;
    assert_eq!(
        app.count("select count(*) from memberships").await,
        2,
        "one account, two memberships"
    );
    assert_eq!(app.count("select count(*) from people").await, 1);
}

#[tokio::test]
async fn a_used_confirmation_link_retires_the_others_and_signs_in_no_one_again() {
    let app = TestApp::new().await;
    app.space("open", SignupMode::Open).await;
    let mut bea = app.browser();
    apply(&mut bea, "/s/open/join", "bea@example.org").await;
    let link = mailed_link(&app, "bea@example.org").await;
    confirm(&app, &mut bea, "bea@example.org").await;
    let mut later = app.browser();
    assert_eq!(later.get(&link).await.status, StatusCode::NOT_FOUND);
    later.get("/signin").await;
    let again = later
        .post(
            &link,
            &[
                ("new_password", "another long pass phrase"),
                ("confirm_password", "another long pass phrase"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("select count(*) from account_tokens where used_at is null")
            .await,
        0
    );
    assert_eq!(
        app.count("select count(*) from sessions where person_id is not null")
            .await,
        1
    );
}
