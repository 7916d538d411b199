//! Invitations: the only way into an invite-only space; each link works once, until it
//! expires or is withdrawn.

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::{apply, confirm};
use crate::helpers::{Browser, PASSWORD, TestApp};

#[tokio::test]
async fn an_invite_only_space_refuses_to_join_without_an_invitation() {
    let app = TestApp::new().await;
    app.space("private", SignupMode::Invite).await;
    let mut browser = app.browser();
    let page = browser.get("/s/private/join").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.has("invite only"));
    browser.get("/signin").await;
    let post = browser
        .post(
            "/s/private/join",
            &[("display_name", "Bea"), ("email", "bea@example.org")],
        )
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from people").await, 0);
}

async fn make_invitation(app: &TestApp, admin: &mut Browser, days: &str) -> String {
    admin.get("/s/private/admin/invitations").await;
    let page = admin
        .post(
            "/s/private/admin/invitations",
            &[("note", "For Bea"), ("days", days)],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let marker = "value=\"http://swapdesk.test";
    let start = page.body.find(marker).expect("the new link is shown") + marker.len();
    let end = page.body[start..].find('"').unwrap();
    let _ = app;
    page.body[start..start + end].to_owned()
}

#[tokio::test]
async fn an_invitation_link_works_once() {
    let app = TestApp::new().await;
    let space = app.space("private", SignupMode::Invite).await;
    app.member(space, "admin@example.org", Role::Admin, Status::Active)
        .await;
    let mut admin = app.signed_in("admin@example.org").await;
    let link = make_invitation(&app, &mut admin, "7").await;
    assert!(link.starts_with("/invite/"));

    let mut bea = app.browser();
    let page = apply(&mut bea, &link, "bea@example.org").await;
    assert!(page.has("Check your email"), "{}", page.body);
    confirm(&app, &mut bea, "bea@example.org").await;
    assert!(bea.get("/s/private").await.has("Welcome, Bea Newcomer"));

    // Used: a second person gets a clear refusal and no account.
    let mut carl = app.browser();
    carl.ip = [198, 51, 100, 10].into();
    let page = carl.get(&link).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.has("This invitation is not valid"));
    assert_eq!(app.count("select count(*) from people").await, 2);
    let list = admin.get("/s/private/admin/invitations").await;
    assert!(list.has("used by Bea Newcomer"));
}

/// A space that takes members by invitation only, its admin signed in, and Carl, who has
/// an account but is no member.
async fn private_space_and_carl() -> (TestApp, Browser) {
    let app = TestApp::new().await;
    let space = app.space("private", SignupMode::Invite).await;
    app.member(space, "admin@example.org", Role::Admin, Status::Active)
        .await;
    app.person("carl@example.org", "Carl").await;
    let admin = app.signed_in("admin@example.org").await;
    (app, admin)
}

/// Carl cannot open the link nor accept it, and nobody joined.
async fn assert_refused_to_carl(app: &TestApp, link: &str) {
    let mut carl = app.signed_in("carl@example.org").await;
    assert_eq!(carl.get(link).await.status, StatusCode::NOT_FOUND);
    let post = carl.post(link, &[]).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("select count(*) from memberships").await, 1);
}

#[tokio::test]
async fn an_expired_invitation_is_refused() {
    let (app, mut admin) = private_space_and_carl().await;
    let expiring = make_invitation(&app, &mut admin, "1").await;
    sqlx::query("update invitations set expires_at = now() - interval '1 second'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_refused_to_carl(&app, &expiring).await;
}

#[tokio::test]
async fn a_withdrawn_invitation_is_refused() {
    let (app, mut admin) = private_space_and_carl().await;
    let withdrawn = make_invitation(&app, &mut admin, "3").await;
    let id: i64 = sqlx::query_scalar(
        "select id from invitations where revoked_at is null and expires_at > now()",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    admin.get("/s/private/admin/invitations").await;
    let done = admin
        .post(&format!("/s/private/admin/invitations/{id}/revoke"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_refused_to_carl(&app, &withdrawn).await;
}

#[tokio::test]
async fn a_signed_in_person_accepts_an_invitation_with_one_button() {
    let (app, mut admin) = private_space_and_carl().await;
    let link = make_invitation(&app, &mut admin, "7").await;
    let mut carl = app.browser();
    carl.sign_in("carl@example.org", PASSWORD).await;
    let page = carl.get(&link).await;
    assert!(page.has("Join Space private"));
    let done = carl.post(&link, &[]).await;
    assert_eq!(done.location(), "/s/private");
    assert!(carl.get("/s/private").await.has("Welcome, Carl"));
}
