//! Changing an account's email address: asked with the password, confirmed at the new
//! address, told to the old one; nothing changes before the link is followed.

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{Browser, PASSWORD, TestApp, link_in};

async fn ana() -> (TestApp, Browser) {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let browser = app.signed_in("ana@example.org").await;
    (app, browser)
}

async fn ask(browser: &mut Browser, new_email: &str, password: &str) -> crate::helpers::Page {
    browser.get("/account").await;
    browser
        .post(
            "/account/email",
            &[("new_email", new_email), ("email_password", password)],
        )
        .await
}

/// Someone who opened the sign-in page, and so can send a form.
async fn visitor(app: &TestApp) -> Browser {
    let mut browser = app.browser();
    browser.get("/signin").await;
    browser
}

async fn address(app: &TestApp) -> String {
    sqlx::query_scalar("select email from people where display_name = 'Ana'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_new_address_is_confirmed_there_and_the_old_one_is_told() {
    let (app, mut ana) = ana().await;
    let sent = ask(&mut ana, "ana@new.example", PASSWORD).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.has("We have sent a link to ana@new.example"));
    assert_eq!(
        address(&app).await,
        "ana@example.org",
        "not before the link"
    );

    let body = app
        .email_about(
            "ana@new.example",
            "Confirm your new email address for Swapdesk",
        )
        .await
        .unwrap();
    let link = link_in(&body);
    // Opened anywhere, even signed out: the link is the proof.
    let mut elsewhere = app.browser();
    let page = elsewhere.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Use ana@new.example"));
    assert_eq!(
        address(&app).await,
        "ana@example.org",
        "opening it changes nothing"
    );
    let done = elsewhere.post(&link, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(address(&app).await, "ana@new.example");

    let notice = app
        .email_about("ana@example.org", "Your Swapdesk email address was changed")
        .await
        .expect("the old address is told");
    assert!(notice.contains("ana@new.example"));
    // The link works once.
    assert_eq!(
        elsewhere.post(&link, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    // Ana signs in with the new address, not the old.
    let mut again = app.browser();
    assert_eq!(
        again.sign_in("ana@new.example", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let mut old = visitor(&app).await;
    let refused = old
        .post(
            "/signin",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_wrong_password_or_a_bad_address_is_refused_with_the_form_refilled() {
    let (app, mut ana) = ana().await;
    for (new_email, password, says) in [
        (
            "ana@new.example",
            "not my password",
            "Your current password is not right",
        ),
        ("ana@new.example", "", "Enter your password"),
        (
            "not an address",
            PASSWORD,
            "Enter an email address in the right format",
        ),
        ("", PASSWORD, "Enter your email address"),
        ("ANA@example.org", PASSWORD, "That is already your address"),
    ] {
        let page = ask(&mut ana, new_email, password).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{new_email}/{password}"
        );
        assert!(page.has(says), "{says}: {}", page.body);
        assert!(page.has(&format!("value=\"{new_email}\"")), "refilled");
    }
    assert_eq!(
        app.count("select count(*) from account_tokens where purpose = 'change_email'")
            .await,
        0
    );
    assert_eq!(app.emails_to("ana@new.example").await, 0);
}

#[tokio::test]
async fn an_address_another_account_took_meanwhile_is_refused_and_nothing_changes() {
    let (app, mut ana) = ana().await;
    ask(&mut ana, "bea@example.org", PASSWORD).await;
    let body = app
        .email_about(
            "bea@example.org",
            "Confirm your new email address for Swapdesk",
        )
        .await
        .unwrap();
    app.person("bea@example.org", "Bea").await;
    let link = link_in(&body);
    let refused = visitor(&app).await.post(&link, &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.has("belongs to another account"));
    assert_eq!(address(&app).await, "ana@example.org");
}

#[tokio::test]
async fn only_the_newest_request_counts_and_a_new_password_retires_it() {
    let (app, mut ana) = ana().await;
    ask(&mut ana, "first@new.example", PASSWORD).await;
    let first = link_in(
        &app.email_about(
            "first@new.example",
            "Confirm your new email address for Swapdesk",
        )
        .await
        .unwrap(),
    );
    ask(&mut ana, "second@new.example", PASSWORD).await;
    assert_eq!(
        visitor(&app).await.get(&first).await.status,
        StatusCode::NOT_FOUND
    );
    let second = link_in(
        &app.email_about(
            "second@new.example",
            "Confirm your new email address for Swapdesk",
        )
        .await
        .unwrap(),
    );
    let changed = ana
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new long passphrase"),
                ("confirm_password", "a brand new long passphrase"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(
        visitor(&app).await.post(&second, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(address(&app).await, "ana@example.org");
}

#[tokio::test]
async fn signed_out_the_request_is_refused() {
    let app = TestApp::new().await;
    let mut stranger = app.browser();
    stranger.get("/signin").await;
    let page = stranger
        .post(
            "/account/email",
            &[
                ("new_email", "x@example.org"),
                ("email_password", "whatever"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/signin"));
    assert_eq!(app.count("select count(*) from account_tokens").await, 0);
}
