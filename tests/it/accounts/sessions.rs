//! Signing in and out, and how long a session lasts.

use axum::http::StatusCode;

use super::{app_with_member, app_with_unconfirmed_ana};
use crate::helpers::{Browser, PASSWORD, Page, TestApp, sha256};

/// A session id someone else planted in Ana's browser before she signs in (session
/// fixation).
const PLANTED: &str = "planted-by-someone-else";

/// Ana signs in with her password, asking to go on to `next`.
async fn sign_in_then(browser: &mut Browser, next: &str) -> Page {
    browser
        .post(
            "/signin",
            &[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("next", next),
            ],
        )
        .await
}

/// Ana signs in from a browser that carries PLANTED.
async fn signed_in_over_a_planted_session(app: &TestApp) -> Browser {
    let mut browser = app.browser();
    browser.get("/signin").await;
    browser.set_cookie("swapdesk_session", PLANTED);
    let page = sign_in_then(&mut browser, "/").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    browser
}

#[tokio::test]
async fn the_sign_in_form_alone_starts_no_session() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    browser.get("/signin").await;
    assert_eq!(browser.session(), None, "a form alone starts no session");
}

#[tokio::test]
async fn signing_in_never_adopts_a_planted_session_id() {
    let app = app_with_member().await;
    let browser = signed_in_over_a_planted_session(&app).await;
    let signed_in = browser.session().unwrap();
    assert_ne!(PLANTED, signed_in, "the session id must change at sign-in");
    // The anonymous session is gone from the server, not just replaced in the browser.
    let old: i64 = sqlx::query_scalar("select count(*) from sessions where id_hash = $1")
        .bind(sha256(PLANTED))
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(old, 0);
}

#[tokio::test]
async fn signing_in_lands_in_the_members_space() {
    let app = app_with_member().await;
    let mut browser = signed_in_over_a_planted_session(&app).await;
    let home = browser.get("/").await;
    assert_eq!(home.location(), "/s/harbour");
    let space = browser.get("/s/harbour").await;
    assert_eq!(space.status, StatusCode::OK);
    assert!(space.has("Welcome, Ana"));
    assert!(
        space.has("Your credits") && space.has("Trades waiting for you"),
        "the dashboard"
    );
}

#[tokio::test]
async fn sign_in_follows_only_local_next_links() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    browser.get("/signin").await;
    let page = sign_in_then(&mut browser, "//evil.example/").await;
    assert_eq!(page.location(), "/");
}

#[tokio::test]
async fn sign_in_never_sends_anyone_off_site() {
    let app = app_with_member().await;
    for next in [
        "/%09/evil.example",
        "/%0A/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "/%5Cevil",
    ] {
        let mut browser = app.browser();
        browser.get("/signin").await;
        let page = sign_in_then(&mut browser, &percent_decode(next)).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(page.location(), "/", "{next}");
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    browser.get("/signin").await;
    let wrong = browser
        .post(
            "/signin",
            &[
                ("email", "ana@example.org"),
                ("password", "not the password at all"),
            ],
        )
        .await;
    let unknown = browser
        .post(
            "/signin",
            &[
                ("email", "nobody@example.org"),
                ("password", "not the password at all"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status, wrong.status);
    let message = "That email address and password do not match an account";
    assert!(wrong.has(message) && unknown.has(message));
    // The form comes back with the address kept and the password not echoed.
    assert!(wrong.has("value=\"ana@example.org\""));
    assert!(!wrong.has("not the password at all"));
    assert!(browser.cookie("swapdesk_csrf").is_some());
    assert_eq!(
        app.count("select count(*) from sessions where person_id is not null")
            .await,
        0
    );
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'signin.failed'")
            .await,
        1,
        "only guesses at a real account are audited"
    );
}

#[tokio::test]
async fn an_unconfirmed_account_cannot_sign_in_and_is_sent_no_link() {
    let app = app_with_unconfirmed_ana().await;
    let mut browser = app.browser();
    browser.get("/signin").await;
    let page = browser
        .post(
            "/signin",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("Confirm your email address first"));
    assert_eq!(app.emails_to("ana@example.org").await, 0);
    assert_eq!(app.count("select count(*) from sessions").await, 0);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = app_with_member().await;
    let mut browser = app.signed_in("ana@example.org").await;
    let token = browser.session().unwrap();
    let page = browser.post("/signout", &[]).await;
    assert_eq!(page.location(), "/signin");
    assert!(browser.session().is_none());
    // Replaying the old cookie gets nowhere.
    browser.set_cookie("swapdesk_session", &token);
    let page = browser.get("/s/harbour").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/signin"));
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let app = app_with_member().await;
    let mut laptop = app.signed_in("ana@example.org").await;
    let mut phone = app.signed_in("ana@example.org").await;
    assert_eq!(phone.get("/s/harbour").await.status, StatusCode::OK);

    let page = laptop.post("/account/signout-everywhere", &[]).await;
    assert_eq!(page.location(), "/signin");
    assert_eq!(phone.get("/s/harbour").await.status, StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/s/harbour").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("select count(*) from sessions where person_id is not null")
            .await,
        0
    );
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = app_with_member().await;
    let mut browser = app.signed_in("ana@example.org").await;
    sqlx::query("update sessions set last_seen_at = now() - interval '13 hours'")
        .execute(&app.db)
        .await
        .unwrap();
    let page = browser.get("/s/harbour").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/signin?next=%2Fs%2Fharbour");
}

#[tokio::test]
async fn a_session_expires_at_its_absolute_limit_however_busy() {
    let app = app_with_member().await;
    let mut browser = app.signed_in("ana@example.org").await;
    sqlx::query("update sessions set expires_at = now() - interval '1 second'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        browser.get("/s/harbour").await.status,
        StatusCode::SEE_OTHER
    );
}
