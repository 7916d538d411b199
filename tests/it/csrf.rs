//! Every state-changing request needs the CSRF token of its own session (SPEC §8.3).

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{PASSWORD, TestApp, encode};

#[tokio::test]
async fn a_post_without_a_token_is_refused_and_writes_nothing() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Approval).await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    let (_, pending) = app
        .member(space, "bo@example.org", Role::Member, Status::Pending)
        .await;
    let mut ana = app.signed_in("ana@example.org").await;

    let attempts = [
        (
            format!("/s/harbour/admin/applications/{pending}/approve"),
            String::new(),
        ),
        (
            "/s/harbour/admin/invitations".to_owned(),
            encode(&[("note", "x"), ("days", "7")]),
        ),
        (
            "/s/harbour/admin/settings".to_owned(),
            encode(&[("name", "Hijacked"), ("signup_mode", "open")]),
        ),
        ("/account/signout-everywhere".to_owned(), String::new()),
        ("/signout".to_owned(), String::new()),
    ];
    for (path, body) in &attempts {
        let page = ana.post_raw(path, body).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.has("This form has expired or did not come from this site"));
    }
    assert_eq!(
        app.count("select count(*) from memberships where status = 'pending'")
            .await,
        1
    );
    assert_eq!(app.count("select count(*) from invitations").await, 0);
    assert_eq!(
        app.count("select count(*) from spaces where name = 'Hijacked'")
            .await,
        0
    );
    assert_eq!(
        app.count("select count(*) from sessions where person_id is not null")
            .await,
        1
    );
    assert_eq!(ana.get("/s/harbour").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_or_foreign_token_is_refused() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    app.member(space, "bo@example.org", Role::Member, Status::Active)
        .await;
    let mut ana = app.signed_in("ana@example.org").await;
    let bo = app.signed_in("bo@example.org").await;

    let wrong = ana
        .post_raw(
            "/s/harbour/admin/settings",
            &encode(&[("name", "X"), ("signup_mode", "open"), ("csrf", "forged")]),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // Bo's valid token is no good in Ana's session.
    let foreign_token = bo.csrf.clone().unwrap();
    let foreign = ana
        .post_raw(
            "/s/harbour/admin/settings",
            &encode(&[
                ("name", "X"),
                ("signup_mode", "open"),
                ("csrf", &foreign_token),
            ]),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("select count(*) from spaces where name = 'X'")
            .await,
        0
    );
}

async fn app_with_member() -> TestApp {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    app
}

#[tokio::test]
async fn signing_in_needs_a_token_too() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    let page = browser
        .post_raw(
            "/signin",
            &encode(&[("email", "ana@example.org"), ("password", PASSWORD)]),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from sessions").await, 0);
}

#[tokio::test]
async fn joining_needs_a_token_too() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    let page = browser
        .post_raw(
            "/s/harbour/join",
            &encode(&[
                ("display_name", "Bea"),
                ("email", "bea@example.org"),
                ("password", "plenty of words here"),
            ]),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from people").await, 1);
}
