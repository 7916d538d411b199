//! Bad input gets a 4xx page that says what is wrong, with the form refilled, and writes
//! nothing (SPEC §8.7).

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{Browser, TestApp};

async fn admin_app() -> (TestApp, Browser) {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    let browser = app.signed_in("ana@example.org").await;
    (app, browser)
}

fn csrf_pair(browser: &Browser) -> String {
    format!("csrf={}", browser.csrf.clone().unwrap())
}

#[tokio::test]
async fn missing_fields_are_named_with_the_form_refilled() {
    let app = TestApp::new().await;
    app.space("open", SignupMode::Open).await;
    let mut browser = app.browser();
    browser.get("/s/open/join").await;
    let page = browser
        .post("/s/open/join", &[("display_name", "Bea")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("There is a problem"));
    assert!(page.has("href=\"#email\"") && page.has("Enter your email address"));
    assert!(page.has("value=\"Bea\""));
    assert_eq!(app.count("select count(*) from people").await, 0);
}

#[tokio::test]
async fn over_long_values_are_refused_and_kept() {
    let app = TestApp::new().await;
    app.space("open", SignupMode::Open).await;
    let mut browser = app.browser();
    browser.get("/s/open/join").await;
    let long_name = "N".repeat(81);
    let page = browser
        .post(
            "/s/open/join",
            &[("display_name", &long_name), ("email", "bea@example.org")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("Your name must be 80 characters or fewer"));
    assert!(page.has(&long_name));
    assert!(page.has("value=\"bea@example.org\""));
    assert_eq!(app.count("select count(*) from people").await, 0);
}

#[tokio::test]
async fn invalid_percent_encoding_is_a_message_beside_its_field() {
    let (app, mut browser) = admin_app().await;
    let body = format!("{}&name=Caf%E9%ZZ&signup_mode=open", csrf_pair(&browser));
    let page = browser.post_raw("/s/harbour/admin/settings", &body).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("This contains characters we could not read"));
    assert_eq!(
        app.count("select count(*) from spaces where name like 'Caf%'")
            .await,
        0
    );
}

#[tokio::test]
async fn invalid_utf8_is_refused_with_the_form_back() {
    let (app, mut browser) = admin_app().await;
    let mut body = format!("{}&signup_mode=open&name=", csrf_pair(&browser)).into_bytes();
    body.extend_from_slice(&[0x66, 0x6f, 0xff, 0xfe, 0x6f]);
    let page = browser
        .post_bytes(
            "/s/harbour/admin/settings",
            body,
            "application/x-www-form-urlencoded",
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("This contains characters we could not read"));
    assert_eq!(
        app.count("select count(*) from spaces where name = 'Space harbour'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_number_of_the_wrong_type_or_out_of_range_is_refused_with_the_form_kept() {
    let (app, mut browser) = admin_app().await;
    browser.get("/s/harbour/admin/invitations").await;
    for days in ["abc", "0", "31", "99999999999999999999999", "-1", "2.5"] {
        let page = browser
            .post(
                "/s/harbour/admin/invitations",
                &[("note", "For Bo"), ("days", days)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{days}");
        assert!(
            page.has("Days the link stays valid must be a whole number from 1 to 30"),
            "{days}"
        );
        assert!(page.has("value=\"For Bo\""));
    }
    assert_eq!(app.count("select count(*) from invitations").await, 0);
}

#[tokio::test]
async fn an_unknown_choice_is_refused_with_the_form_kept() {
    let (app, mut browser) = admin_app().await;
    let page = browser
        .post(
            "/s/harbour/admin/settings",
            &[("name", "Harbour"), ("signup_mode", "everyone")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("Choose how people join the space"));
    assert!(page.has("value=\"Harbour\""), "the name is kept");
    assert_eq!(
        app.count("select count(*) from spaces where name = 'Harbour'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_json_body_is_refused_and_writes_nothing() {
    let (app, mut browser) = admin_app().await;
    let page = browser
        .post_bytes(
            "/s/harbour/admin/settings",
            b"{\"name\":\"x\"}".to_vec(),
            "application/json",
        )
        .await;
    // Without a form there is no CSRF token either; either way nothing is written.
    assert!(
        page.status == StatusCode::FORBIDDEN || page.status == StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    assert_eq!(
        app.count("select count(*) from spaces where name = 'x'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_body_too_large_is_refused_with_a_page() {
    let (_, mut browser) = admin_app().await;
    let huge = format!(
        "{}&name={}&signup_mode=open",
        csrf_pair(&browser),
        "x".repeat(100_000)
    );
    let page = browser.post_raw("/s/harbour/admin/settings", &huge).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.has("larger than we accept"));
}

#[tokio::test]
async fn a_form_sent_as_plain_text_is_refused_and_writes_nothing() {
    let (app, mut browser) = admin_app().await;
    let body = format!("{}&name=ok", csrf_pair(&browser));
    let page = browser
        .post_bytes("/s/harbour/admin/settings", body.into_bytes(), "text/plain")
        .await;
    assert_eq!(page.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app.count("select count(*) from spaces where name = 'ok'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_non_numeric_id_in_a_path_is_not_found() {
    let (_, mut browser) = admin_app().await;
    let page = browser
        .post("/s/harbour/admin/applications/abc/approve", &[])
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.has("Page not found"));
}

#[tokio::test]
async fn a_malformed_next_link_falls_back_to_the_start_page() {
    let app = TestApp::new().await;
    let page = app.browser().get("/signin?next=%ZZ%FF").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("name=\"next\" value=\"/\""));
}

#[tokio::test]
async fn malformed_paths_get_a_page_not_a_bare_rejection() {
    let (_, mut browser) = admin_app().await;
    for path in [
        "/s/%FF%FE",
        "/reset/%FF",
        "/s/harbour/admin/applications/%FF/decline",
    ] {
        let page = browser.get(path).await;
        assert!(
            page.status == StatusCode::BAD_REQUEST || page.status == StatusCode::NOT_FOUND,
            "{path}"
        );
        assert!(page.has("<h1>"), "{path}: {}", page.body);
    }
}

#[tokio::test]
async fn a_method_a_path_does_not_take_gets_a_page_not_a_bare_rejection() {
    let (_, mut browser) = admin_app().await;
    let page = browser
        .send(
            axum::http::Request::delete("/account")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.status == StatusCode::METHOD_NOT_ALLOWED || page.status == StatusCode::FORBIDDEN);
    assert!(page.has("<h1>"));
}

#[tokio::test]
async fn a_nul_in_a_form_is_refused_with_the_form_back() {
    let (_, mut browser) = admin_app().await;
    // NUL cannot be stored.
    let body = format!(
        "{}&name=Bad%00Name&time_zone=UTC&signup_mode=open",
        csrf_pair(&browser)
    );
    let page = browser.post_raw("/s/harbour/admin/settings", &body).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("This contains characters we could not read"));
    assert!(page.has("value=\"BadName\""));
}

#[tokio::test]
async fn a_nul_in_a_query_or_a_path_is_a_client_error_not_a_server_error() {
    let (_, mut browser) = admin_app().await;
    let page = browser.get("/s/harbour/directory?q=%00design").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for path in ["/s/%00/join", "/s/%00", "/reset/%00", "/invite/%00"] {
        let status = browser.get(path).await.status;
        assert!(status.is_client_error(), "{path}: {status}");
    }
}

#[tokio::test]
async fn line_breaks_are_kept_out_of_a_one_line_name() {
    let (app, _) = admin_app().await;
    let mut visitor = app.browser();
    visitor.get("/s/harbour/join").await;
    let page = visitor
        .post(
            "/s/harbour/join",
            &[
                ("display_name", "Eve\r\n\r\nClick http://evil"),
                ("email", "eve@example.org"),
                ("password", "plenty of words here"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let name: String =
        sqlx::query_scalar("select display_name from people where email = 'eve@example.org'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(!name.contains('\n') && !name.contains('\r'), "{name:?}");
}

#[tokio::test]
async fn dates_out_of_range_are_refused_not_a_crash() {
    let (_, mut browser) = admin_app().await;
    for query in [
        "to=9999-12-31",
        "from=-9999-01-01",
        "from=0001-01-01",
        "to=2026-02-30",
    ] {
        for path in ["/s/harbour/credits", "/s/harbour/admin/ledger"] {
            let page = browser.get(&format!("{path}?{query}")).await;
            assert_eq!(
                page.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}?{query}"
            );
        }
        let csv = browser
            .get(&format!("/s/harbour/credits/statement.csv?{query}"))
            .await;
        assert_eq!(csv.status, StatusCode::BAD_REQUEST, "{query}");
    }
}
