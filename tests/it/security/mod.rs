//! The hardening a security review asked for. Here: what anonymous traffic may write, and
//! CSRF tokens masked afresh; the rest by theme below.

mod mail;
mod privilege;

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{PASSWORD, TestApp, encode};

/// Rows in every table of the app's schema.
async fn rows_everywhere(app: &TestApp) -> i64 {
    app.count(
        "select coalesce(sum((xpath('/row/c/text()', query_to_xml(
                    format('select count(*) as c from %I.%I', schemaname, tablename),
                    false, true, '')))[1]::text::bigint), 0)::bigint
         from pg_tables where schemaname = 'public'",
    )
    .await
}

#[tokio::test]
async fn a_thousand_anonymous_page_views_write_no_rows() {
    let app = TestApp::new().await;
    app.space("harbour", SignupMode::Approval).await;
    app.space("closed", SignupMode::Invite).await;
    let before = rows_everywhere(&app).await;
    let pages = [
        "/",
        "/signin",
        "/signin?next=/s/harbour",
        "/reset",
        "/s/harbour",
        "/s/harbour/join",
        "/s/closed/join",
        "/reset/not-a-token",
        "/verify/not-a-token",
        "/invite/not-a-token",
    ];
    for round in 0..100 {
        // Half the visits come back with the cookies they were given, as a browser would;
        // the other half come fresh, as a crawler does.
        let mut browser = app.browser();
        for path in pages {
            let page = browser.get(path).await;
            assert!(
                page.status.is_success()
                    || page.status.is_redirection()
                    || page.status.is_client_error(),
                "{path}: {}",
                page.status
            );
            if round % 2 == 1 {
                browser = app.browser();
            }
        }
    }
    assert_eq!(rows_everywhere(&app).await, before);
}

#[tokio::test]
async fn an_anonymous_form_token_works_only_with_its_own_cookie() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let mut mine = app.browser();
    mine.get("/signin").await;
    let token = mine.csrf.clone().unwrap();

    // Another browser (say, a page on another site posting into ours) lacks the cookie.
    let mut other = app.browser();
    other.get("/signin").await;
    let stolen = other
        .post_raw(
            "/signin",
            &encode(&[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("csrf", &token),
            ]),
        )
        .await;
    assert_eq!(stolen.status, StatusCode::FORBIDDEN);

    // A cookie with a forged signature is no cookie at all.
    let mut forged = app.browser();
    forged.set_cookie("swapdesk_csrf", "forged-value");
    let page = forged
        .post_raw(
            "/signin",
            &encode(&[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("csrf", &token),
            ]),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from sessions").await, 0);

    let page = mine
        .post(
            "/signin",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from sessions").await, 1);
}

#[tokio::test]
async fn the_csrf_token_is_masked_afresh_on_every_page() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let mut ana = app.signed_in("ana@example.org").await;
    let first = ana.get("/account").await.csrf().unwrap();
    let second = ana.get("/account").await.csrf().unwrap();
    assert_ne!(first, second, "the same secret bytes never repeat (BREACH)");
    let stored: String = sqlx::query_scalar("select csrf_token from sessions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!first.contains(&stored) && !second.contains(&stored));
    // Any of the masked forms still proves the session.
    for token in [first, second] {
        let page = ana
            .post_raw(
                "/s/harbour/profile/here",
                &encode(&[("here", "yes"), ("csrf", &token)]),
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    // The raw token, unmasked, is refused.
    let page = ana
        .post_raw(
            "/s/harbour/profile/here",
            &encode(&[("here", "yes"), ("csrf", &stored)]),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}
