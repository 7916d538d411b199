//! Changing and resetting a password, and what each does to sessions and mailed links.

use axum::http::StatusCode;

use super::{app_with_member, app_with_unconfirmed_ana};
use crate::helpers::{Browser, PASSWORD, TestApp, link_in};

const NEW: &str = "a brand new passphrase here";

/// Changes Ana's password from PASSWORD to NEW through the account page.
async fn change_password(browser: &mut Browser) -> crate::helpers::Page {
    browser
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW),
                ("confirm_password", NEW),
            ],
        )
        .await
}

/// Asks for a reset link for Ana, as she would, and returns the link mailed to her.
async fn mailed_reset_link(app: &TestApp, browser: &mut Browser) -> String {
    browser.get("/reset").await;
    browser
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    let (_, body) = app.email_to("ana@example.org").await.unwrap();
    link_in(&body)
}

#[tokio::test]
async fn changing_the_password_signs_out_other_devices() {
    let app = app_with_member().await;
    let mut laptop = app.signed_in("ana@example.org").await;
    let mut phone = app.signed_in("ana@example.org").await;
    let page = change_password(&mut laptop).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(laptop.get("/s/harbour").await.status, StatusCode::OK);
    assert_eq!(phone.get("/s/harbour").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn after_a_change_only_the_new_password_signs_in() {
    let app = app_with_member().await;
    let mut laptop = app.signed_in("ana@example.org").await;
    let page = change_password(&mut laptop).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mut fresh = app.browser();
    fresh.get("/signin").await;
    let old = fresh
        .post(
            "/signin",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    fresh.sign_in("ana@example.org", NEW).await;
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing() {
    let app = app_with_member().await;
    let mut browser = app.signed_in("ana@example.org").await;
    let before: String = sqlx::query_scalar("select password_hash from people")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let new = "a brand new passphrase here";
    let page = browser
        .post(
            "/account/password",
            &[
                ("current_password", "wrong wrong wrong"),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("Your current password is not right"));
    let after: String = sqlx::query_scalar("select password_hash from people")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_password_reset_link_works_once() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    browser.get("/reset").await;
    let page = browser
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Check your email"));

    let (subject, body) = app
        .email_to("ana@example.org")
        .await
        .expect("a reset email");
    assert_eq!(subject, "Reset your Swapdesk password");
    let link = link_in(&body);
    assert!(link.starts_with("/reset/"));

    let form = browser.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    let new = "another long passphrase";
    let done = browser
        .post(&link, &[("new_password", new), ("confirm_password", new)])
        .await;
    assert_eq!(done.location(), "/signin");
    browser.sign_in("ana@example.org", new).await;

    // Used once: the link is dead now.
    let again = browser.get(&link).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let mut other = app.browser();
    other.get("/reset").await;
    let replay = other
        .post(
            &link,
            &[
                ("new_password", "yet another passphrase"),
                ("confirm_password", "yet another passphrase"),
            ],
        )
        .await;
    assert_eq!(replay.status, StatusCode::NOT_FOUND);
    other.sign_in("ana@example.org", new).await;
}

#[tokio::test]
async fn an_expired_reset_link_is_refused() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    let link = mailed_reset_link(&app, &mut browser).await;
    sqlx::query("update account_tokens set expires_at = now() - interval '1 minute'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(browser.get(&link).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    browser.get("/reset").await;
    let known = browser
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    let unknown = browser
        .post("/reset", &[("email", "nobody@example.org")])
        .await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body, unknown.body);
    assert!(app.email_to("ana@example.org").await.is_some());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.emails_to("nobody@example.org").await, 0);
}

#[tokio::test]
async fn a_reset_link_proves_an_unconfirmed_address() {
    let app = app_with_unconfirmed_ana().await;
    let mut browser = app.browser();
    let link = mailed_reset_link(&app, &mut browser).await;
    browser.get(&link).await;
    let done = browser
        .post(
            &link,
            &[
                ("new_password", "a brand new pass phrase"),
                ("confirm_password", "a brand new pass phrase"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    browser
        .sign_in("ana@example.org", "a brand new pass phrase")
        .await;
    assert_eq!(browser.get("/account").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_password_change_retires_older_reset_links() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    let link = mailed_reset_link(&app, &mut browser).await;
    let mut ana = app.signed_in("ana@example.org").await;
    change_password(&mut ana).await;
    assert_eq!(browser.get(&link).await.status, StatusCode::NOT_FOUND);
}
