//! Health, metrics, headers, error pages, and several instances on one database.

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{Page, TestApp};

#[tokio::test]
async fn the_health_check_answers_ok() {
    let app = TestApp::new().await;
    let mut browser = app.browser();
    let health = browser.get("/healthz").await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );
}

#[tokio::test]
async fn the_readiness_check_answers_ready_while_the_database_is_up() {
    let app = TestApp::new().await;
    let mut browser = app.browser();
    let ready = browser.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (StatusCode::OK, "ready")
    );
}

#[tokio::test]
async fn metrics_count_requests_on_their_own_address_only() {
    let app = TestApp::new().await;
    let mut browser = app.browser();
    browser.get("/signin").await;
    browser.get("/no/such/page").await;
    // Not on the public address...
    assert_eq!(browser.get("/metrics").await.status, StatusCode::NOT_FOUND);
    // ...but on the metrics one.
    let mut scraper = crate::helpers::Browser::new(swapdesk::web::metrics_app(app.state.clone()));
    let metrics = scraper.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics
            .has("swapdesk_http_requests_total{method=\"GET\",route=\"/signin\",status=\"200\"} 1"),
        "{}",
        metrics.body
    );
    assert!(metrics.has("swapdesk_http_request_duration_seconds_bucket"));
    // The ledger's batcher counts what it applied, and the batches it had to split.
    for counter in [
        "swapdesk_ledger_batch_statements_total",
        "swapdesk_ledger_batch_payments_total",
        "swapdesk_ledger_batch_fallbacks_total",
    ] {
        assert!(metrics.has(counter), "{counter} missing:\n{}", metrics.body);
    }
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::new().await;
    app.state.db.close().await;
    let mut browser = app.browser();
    assert_eq!(
        browser.get("/readyz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(browser.get("/healthz").await.status, StatusCode::OK);
}

/// The sign-in page, as a first-time visitor gets it.
async fn signin_page(app: &TestApp) -> Page {
    app.browser().get("/signin").await
}

fn header(page: &Page, name: &str) -> Option<String> {
    page.headers
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn pages_carry_security_headers_and_need_no_inline_script_or_style() {
    let app = TestApp::new().await;
    let page = signin_page(&app).await;
    let csp = header(&page, "content-security-policy").unwrap();
    assert!(csp.contains("script-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(
        header(&page, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(
        header(&page, "referrer-policy").as_deref(),
        Some("same-origin")
    );
    // No inline script or style anywhere: the CSP forbids it and the pages do not need it.
    assert!(!page.has("<script") && !page.has("style="));
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::new().await;
    let page = signin_page(&app).await;
    assert!(header(&page, "x-request-id").is_some_and(|id| id.len() == 36));
}

#[tokio::test]
async fn cookies_are_http_only_and_same_site() {
    let app = TestApp::new().await;
    let page = signin_page(&app).await;
    let cookie = header(&page, "set-cookie").unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
}

#[tokio::test]
async fn the_stylesheet_is_cacheable_under_its_hash() {
    let app = TestApp::new().await;
    let mut browser = app.browser();
    let page = browser.get("/signin").await;
    let start = page.body.find("/static/app.").unwrap();
    let end = start + page.body[start..].find('"').unwrap();
    let css = browser.get(&page.body[start..end]).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(css.has(".error-summary"));
}

#[tokio::test]
async fn every_page_links_a_cacheable_favicon_and_unknown_files_are_not_found() {
    let app = TestApp::new().await;
    let mut browser = app.browser();
    for path in ["/signin", "/nothing/here"] {
        let page = browser.get(path).await;
        let start = page.body.find("/static/favicon.").unwrap();
        let end = start + page.body[start..].find('"').unwrap();
        let icon = browser.get(&page.body[start..end]).await;
        assert_eq!(icon.status, StatusCode::OK, "{path}");
        assert_eq!(icon.headers["content-type"], "image/svg+xml");
        assert!(
            icon.headers["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        assert!(icon.has("<svg"));
    }
    let unknown = browser.get("/static/secrets.txt").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn search_engines_may_index_public_pages_but_no_space() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let mut visitor = app.browser();
    let robots = visitor.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(robots.has("User-agent: *") && robots.has("Disallow: /s/"));
    for public in ["/", "/signin", "/reset"] {
        let page = visitor.get(public).await;
        assert!(page.has("<meta name=\"description\""), "{public}");
        assert!(!page.has("noindex"), "{public}");
    }
    let join = visitor.get("/s/harbour/join").await;
    assert!(join.has("<meta name=\"robots\" content=\"noindex\">"));
    let mut ana = app.signed_in("ana@example.org").await;
    for private in ["/s/harbour", "/s/harbour/directory", "/account"] {
        let page = ana.get(private).await;
        assert_eq!(page.status, StatusCode::OK, "{private}");
        assert!(
            page.has("<meta name=\"robots\" content=\"noindex\">"),
            "{private}"
        );
    }
}

#[tokio::test]
async fn error_pages_say_what_happened_and_what_to_do() {
    let app = TestApp::new().await;
    let mut browser = app.browser();
    let page = browser.get("/nothing/here").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.has("<title>Page not found (404)"));
    assert!(page.has("Go to the start page"));
}

#[tokio::test]
async fn two_instances_on_one_database_share_a_session() {
    let first = TestApp::new().await;
    let space = first.space("harbour", SignupMode::Open).await;
    first
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let second = TestApp::on(&first.url).await;

    let browser = first.signed_in("ana@example.org").await;
    let mut elsewhere = browser.on(second.router.clone());
    let page = elsewhere.get("/s/harbour").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Welcome, Ana"));
    // A form rendered by one instance is accepted by the other.
    let done = elsewhere.post("/signout", &[]).await;
    assert_eq!(done.location(), "/signin");
    let mut back = browser.on(first.router.clone());
    assert_eq!(back.get("/s/harbour").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn migrations_started_twice_at_once_both_succeed() {
    let url = {
        // An empty database, not the migrated template.
        let name = format!("swapdesk_test_{}", uuid::Uuid::new_v4().simple());
        let server = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let pool = sqlx::PgPool::connect(&server).await.unwrap();
        sqlx::query(&format!("create database \"{name}\""))
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        format!("{}/{name}", server.rsplit_once('/').unwrap().0)
    };
    let a = swapdesk::db::connect(&url, 2).await.unwrap();
    let b = swapdesk::db::connect(&url, 2).await.unwrap();
    let (ra, rb) = tokio::join!(swapdesk::db::migrate(&a), swapdesk::db::migrate(&b));
    ra.unwrap();
    rb.unwrap();
    let applied: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
        .fetch_one(&a)
        .await
        .unwrap();
    assert_eq!(applied as usize, swapdesk::db::MIGRATOR.iter().count());
}

#[tokio::test]
async fn the_audit_log_cannot_be_edited() {
    let app = TestApp::new().await;
    swapdesk::audit::record(
        &app.db,
        None,
        None,
        "test.event",
        "",
        serde_json::json!({}),
        None,
    )
    .await
    .unwrap();
    for sql in [
        "update audit_log set action = 'x'",
        "delete from audit_log",
        "truncate audit_log",
    ] {
        let err = sqlx::query(sql).execute(&app.db).await;
        assert!(err.is_err(), "{sql} must fail");
    }
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'test.event'")
            .await,
        1
    );
}

#[tokio::test]
async fn the_health_command_asks_the_running_app() {
    use std::process::ExitCode;
    let app = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap();
    });
    assert_eq!(swapdesk::cli::health(address).await, ExitCode::SUCCESS);
    // Bound to every address: asked through loopback.
    let wildcard = std::net::SocketAddr::from(([0, 0, 0, 0], address.port()));
    assert_eq!(swapdesk::cli::health(wildcard).await, ExitCode::SUCCESS);
    // Nobody listening, or a database that is gone: not ready.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let nobody = closed.local_addr().unwrap();
    drop(closed);
    assert_eq!(swapdesk::cli::health(nobody).await, ExitCode::FAILURE);
    app.state.db.close().await;
    assert_eq!(swapdesk::cli::health(address).await, ExitCode::FAILURE);
}

#[tokio::test]
async fn a_trailing_slash_leads_to_the_page_without_it() {
    let app = TestApp::new().await;
    let mut browser = app.browser();
    let page = browser.get("/signin/?next=/s/x").await;
    assert_eq!(page.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(page.location(), "/signin?next=/s/x");
    assert_eq!(browser.get("/s/demo/").await.location(), "/s/demo");
    // Never off the site, and a missing page is still missing.
    assert_eq!(
        browser.get("//evil.example/").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser.get("/no/such/page").await.status,
        StatusCode::NOT_FOUND
    );
}
