//! The hardening a security review asked for. Here: what anonymous traffic may write, and
//! CSRF tokens masked afresh; the rest by theme below.

mod keys;
mod mail;
mod privilege;

use axum::http::StatusCode;
use swapdesk::notify::model::Group;
use swapdesk::notify::unsubscribe::{Scope, Unsubscribe};
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{BASE_URL, PASSWORD, TestApp, encode, link_in};

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

/// Live mailed links of every kind, made the way the app makes them: a password reset, an
/// address to confirm after joining, an invitation, a new address to confirm and a
/// one-click unsubscribe.
async fn live_links(app: &TestApp) -> [String; 5] {
    let harbour = app.space("harbour", SignupMode::Approval).await;
    let closed = app.space("closed", SignupMode::Invite).await;
    let (_, ana) = app
        .member(harbour, "ana@example.org", Role::Member, Status::Active)
        .await;
    app.member(closed, "admin@example.org", Role::Admin, Status::Active)
        .await;

    let mut visitor = app.browser();
    visitor.get("/reset").await;
    visitor
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    let reset = app
        .email_about("ana@example.org", "Reset your Swapdesk password")
        .await
        .unwrap();

    let mut newcomer = app.browser();
    newcomer.get("/s/harbour/join").await;
    newcomer
        .post(
            "/s/harbour/join",
            &[("display_name", "Bea"), ("email", "bea@example.org")],
        )
        .await;
    let confirm = app
        .email_about("bea@example.org", "Confirm your email address for Swapdesk")
        .await
        .unwrap();

    let mut admin = app.signed_in("admin@example.org").await;
    admin.get("/s/closed/admin/invitations").await;
    let made = admin
        .post(
            "/s/closed/admin/invitations",
            &[("note", "For Carl"), ("days", "7")],
        )
        .await;
    let marker = format!("value=\"{BASE_URL}");
    let at = made.body.find(&marker).expect("the new link is shown") + marker.len();
    let invitation = made.body[at..].split('"').next().unwrap().to_owned();

    let mut signed_in = app.signed_in("ana@example.org").await;
    signed_in.get("/account").await;
    signed_in
        .post(
            "/account/email",
            &[
                ("new_email", "ana@new.example"),
                ("email_password", PASSWORD),
            ],
        )
        .await;
    let change = app
        .email_about(
            "ana@new.example",
            "Confirm your new email address for Swapdesk",
        )
        .await
        .unwrap();

    let unsubscribe = Unsubscribe {
        membership: ana,
        scope: Scope::Group(Group::Trades),
        expires: time::OffsetDateTime::now_utc() + time::Duration::days(30),
    }
    .token(&app.state.settings.key);
    [
        link_in(&reset),
        link_in(&confirm),
        invitation,
        link_in(&change),
        format!("/unsubscribe/{unsubscribe}"),
    ]
}

#[tokio::test]
async fn a_thousand_anonymous_page_views_write_no_rows() {
    let app = TestApp::new().await;
    let [reset, confirm, invitation, change, unsubscribe] = live_links(&app).await;
    let before = rows_everywhere(&app).await;
    // Each page, what it answers, and whether it is a form (and so needs a CSRF token).
    let pages: [(&str, StatusCode, bool); 12] = [
        ("/", StatusCode::OK, false),
        ("/signin", StatusCode::OK, true),
        ("/signin?next=/s/harbour", StatusCode::OK, true),
        ("/reset", StatusCode::OK, true),
        ("/s/harbour", StatusCode::SEE_OTHER, false),
        ("/s/harbour/join", StatusCode::OK, true),
        ("/s/closed/join", StatusCode::FORBIDDEN, false),
        (reset.as_str(), StatusCode::OK, true),
        (confirm.as_str(), StatusCode::OK, true),
        (invitation.as_str(), StatusCode::OK, true),
        (change.as_str(), StatusCode::OK, true),
        // Its form carries no token: the signed link is the authority (RFC 8058).
        (unsubscribe.as_str(), StatusCode::OK, false),
    ];
    let mut views = 0;
    let mut round = 0;
    while views < 1000 {
        // Half the visits come back with the cookies they were given, as a browser would;
        // the other half come fresh, as a crawler does.
        let mut browser = app.browser();
        for (path, status, form) in pages.iter().take(1000 - views) {
            let page = browser.get(path).await;
            assert_eq!(page.status, *status, "{path}: {}", page.body);
            if *form {
                assert!(page.has("name=\"csrf\""), "{path} has a form token");
            }
            views += 1;
            if round % 2 == 1 {
                browser = app.browser();
            }
        }
        round += 1;
    }
    assert_eq!(views, 1000);
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

#[tokio::test]
async fn an_anonymous_form_token_is_masked_afresh_on_every_page() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let mut visitor = app.browser();
    let first = visitor.get("/signin").await.csrf().unwrap();
    let cookie = visitor.cookie("swapdesk_csrf").unwrap();
    let second = visitor.get("/signin").await.csrf().unwrap();
    assert_eq!(
        visitor.cookie("swapdesk_csrf").unwrap(),
        cookie,
        "one secret"
    );
    assert_ne!(first, second, "the same secret bytes never repeat (BREACH)");
    // Either masked form proves the one cookie.
    let wrong = visitor
        .post_raw(
            "/signin",
            &encode(&[
                ("email", "ana@example.org"),
                ("password", "not the password at all"),
                ("csrf", &first),
            ]),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let right = visitor
        .post_raw(
            "/signin",
            &encode(&[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("csrf", &second),
            ]),
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
}
