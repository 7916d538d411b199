//! Sign in and out, sessions, passwords and resets: the sign-in throttles here, sessions
//! and passwords in the files beside this one.

mod passwords;
mod sessions;

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{Browser, PASSWORD, TestApp};

async fn app_with_member() -> TestApp {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    app
}

/// Ana has an account whose address she has not confirmed yet.
async fn app_with_unconfirmed_ana() -> TestApp {
    let app = TestApp::new().await;
    app.space("harbour", SignupMode::Open).await;
    app.person("ana@example.org", "Ana").await;
    sqlx::query("update people set email_verified_at = null")
        .execute(&app.db)
        .await
        .unwrap();
    app
}

async fn guess(browser: &mut Browser, email: &str) -> StatusCode {
    browser
        .post(
            "/signin",
            &[("email", email), ("password", "wrong password here")],
        )
        .await
        .status
}

async fn browser_at(app: &TestApp, ip: impl Into<std::net::IpAddr>) -> Browser {
    let mut browser = app.browser();
    browser.ip = ip.into();
    browser.get("/signin").await;
    browser
}

#[tokio::test]
async fn repeated_failures_slow_that_address_down_but_not_the_owner_elsewhere() {
    let app = app_with_member().await;
    let mut attacker = browser_at(&app, [203, 0, 113, 9]).await;
    for _ in 0..5 {
        assert_eq!(
            guess(&mut attacker, "ana@example.org").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let page = attacker
        .post(
            "/signin",
            &[
                ("email", "ana@example.org"),
                ("password", "wrong password here"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = page.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "the first wait is short: {wait}");
    assert!(page.has("Too many attempts"));
    // The failing address waits even with the right password.
    let right = attacker
        .post(
            "/signin",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'signin.slowed'")
            .await,
        1
    );
    // Ana, at an address that has not been failing, signs straight in.
    let mut ana = browser_at(&app, [198, 51, 100, 7]).await;
    ana.sign_in("ana@example.org", PASSWORD).await;
}

#[tokio::test]
async fn each_further_failure_doubles_the_wait_up_to_a_cap() {
    let app = app_with_member().await;
    let mut attacker = browser_at(&app, [203, 0, 113, 9]).await;
    let mut waits = Vec::new();
    for _ in 0..20 {
        let page = attacker
            .post(
                "/signin",
                &[
                    ("email", "ana@example.org"),
                    ("password", "wrong password here"),
                ],
            )
            .await;
        if page.status == StatusCode::TOO_MANY_REQUESTS {
            waits.push(
                page.headers["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap(),
            );
            // Let the wait pass, as a patient attacker would.
            sqlx::query("update throttles set last_hit_at = last_hit_at - interval '1 hour'")
                .execute(&app.db)
                .await
                .unwrap();
        }
    }
    assert!(waits.len() >= 7, "{waits:?}");
    assert_eq!(waits[..6], [30, 60, 120, 240, 480, 900], "{waits:?}");
    assert!(
        waits.windows(2).all(|w| w[1] >= w[0]),
        "waits never shrink: {waits:?}"
    );
    assert!(waits[waits.len() - 1] > waits[0] * 8, "{waits:?}");
    assert!(
        waits.iter().all(|w| *w <= 900),
        "capped at 15 minutes: {waits:?}"
    );
}

#[tokio::test]
async fn a_distributed_attack_slows_only_the_addresses_that_fail() {
    let app = app_with_member().await;
    // Thirty addresses, one guess each: past the account's allowance of twenty.
    for i in 0..30u8 {
        let mut bot = browser_at(&app, [203, 0, 113, i]).await;
        let status = guess(&mut bot, "ana@example.org").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "bot {i}");
    }
    // A failing address now waits at once.
    let mut bot = browser_at(&app, [203, 0, 113, 3]).await;
    assert_eq!(
        guess(&mut bot, "ana@example.org").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Ana, at a clean address, still gets in.
    let mut ana = browser_at(&app, [198, 51, 100, 7]).await;
    ana.sign_in("ana@example.org", PASSWORD).await;
}

#[tokio::test]
async fn an_address_that_keeps_failing_slows_down_except_for_browsers_that_signed_in_before() {
    let app = app_with_member().await;
    let shared: std::net::IpAddr = [192, 0, 2, 50].into();
    // Ana has signed in from the space's shared address before.
    let mut ana = browser_at(&app, shared).await;
    ana.sign_in("ana@example.org", PASSWORD).await;
    ana.post("/signout", &[]).await;
    assert!(ana.cookie("swapdesk_device").is_some());

    let mut sprayer = browser_at(&app, shared).await;
    let allowance = swapdesk::auth::throttle::SIGNIN.address_allowance;
    for i in 0..allowance {
        let status = guess(&mut sprayer, &format!("guess{i}@example.org")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        guess(&mut sprayer, "guess99@example.org").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A newcomer behind the same address waits too...
    let mut newcomer = browser_at(&app, shared).await;
    let page = newcomer
        .post(
            "/signin",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    // ...but Ana's own browser is known, and someone at another address is unaffected.
    ana.get("/signin").await;
    ana.sign_in("ana@example.org", PASSWORD).await;
    let mut other = browser_at(&app, [198, 51, 100, 8]).await;
    other.sign_in("ana@example.org", PASSWORD).await;
}

#[tokio::test]
async fn an_ipv6_attacker_counts_once_per_slash_64() {
    let app = app_with_member().await;
    let allowance = swapdesk::auth::throttle::SIGNIN.pair_allowance;
    for i in 0..allowance {
        let ip: std::net::Ipv6Addr = format!("2001:db8:1:2::{:x}", i + 1).parse().unwrap();
        let mut bot = browser_at(&app, ip).await;
        assert_eq!(
            guess(&mut bot, "ana@example.org").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let ip: std::net::Ipv6Addr = "2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap();
    let mut bot = browser_at(&app, ip).await;
    assert_eq!(
        guess(&mut bot, "ana@example.org").await,
        StatusCode::TOO_MANY_REQUESTS,
        "the same /64 is the same someone"
    );
    let ip: std::net::Ipv6Addr = "2001:db8:1:3::1".parse().unwrap();
    let mut neighbour = browser_at(&app, ip).await;
    neighbour.sign_in("ana@example.org", PASSWORD).await;
}

#[tokio::test]
async fn a_correct_password_uses_up_no_allowance() {
    let app = app_with_member().await;
    let mut ana = browser_at(&app, [198, 51, 100, 7]).await;
    for _ in 0..20 {
        ana.sign_in("ana@example.org", PASSWORD).await;
        ana.post("/signout", &[]).await;
        ana.get("/signin").await;
    }
    assert_eq!(
        app.count("select coalesce(max(hits), 0)::bigint from throttles")
            .await,
        0
    );
    // Four slips, then the right password: the slips are forgotten for this address.
    for _ in 0..4 {
        guess(&mut ana, "ana@example.org").await;
    }
    ana.sign_in("ana@example.org", PASSWORD).await;
    assert_eq!(
        app.count("select count(*) from throttles where key like 'signin:pair:%'")
            .await,
        0
    );
}

#[tokio::test]
async fn spent_throttles_are_purged() {
    let app = app_with_member().await;
    let mut browser = browser_at(&app, [198, 51, 100, 7]).await;
    guess(&mut browser, "ana@example.org").await;
    guess(&mut browser, "nobody@example.org").await;
    let fresh = app.count("select count(*) from throttles").await;
    assert!(fresh > 0);
    assert_eq!(
        swapdesk::auth::db::purge_throttles(&app.db).await.unwrap(),
        0
    );
    sqlx::query(
        "update throttles set window_start = now() - interval '2 hours',
                              last_hit_at = now() - interval '2 hours'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(
        swapdesk::auth::db::purge_throttles(&app.db).await.unwrap(),
        fresh as u64
    );
    assert_eq!(app.count("select count(*) from throttles").await, 0);
}

#[tokio::test]
async fn reset_requests_are_throttled() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    browser.get("/reset").await;
    for _ in 0..3 {
        let page = browser
            .post("/reset", &[("email", "ana@example.org")])
            .await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let page = browser
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn parallel_guesses_cannot_outrun_the_allowance() {
    let app = app_with_member().await;
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let mut browser = browser_at(&app, [203, 0, 113, 9]).await;
        tasks.push(tokio::spawn(async move {
            guess(&mut browser, "ana@example.org").await
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let allowance = swapdesk::auth::throttle::SIGNIN.pair_allowance as usize;
    assert_eq!(checked, allowance, "{statuses:?}");
    assert_eq!(refused, 16 - allowance, "{statuses:?}");
}
