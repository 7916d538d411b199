//! Sign in and out, sessions, passwords and resets.

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{Browser, PASSWORD, TestApp, link_in, sha256};

async fn app_with_member() -> TestApp {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    app
}

#[tokio::test]
async fn signing_in_rotates_the_session_id_and_lands_in_the_space() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    browser.get("/signin").await;
    assert_eq!(browser.session(), None, "a form alone starts no session");
    // A session id planted before sign-in (session fixation) is never adopted.
    let anonymous = "planted-by-someone-else".to_owned();
    browser.set_cookie("swapdesk_session", &anonymous);

    let page = browser
        .post(
            "/signin",
            &[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let signed_in = browser.session().unwrap();
    assert_ne!(
        anonymous, signed_in,
        "the session id must change at sign-in"
    );
    // The anonymous session is gone from the server, not just replaced in the browser.
    let old: i64 = sqlx::query_scalar("select count(*) from sessions where id_hash = $1")
        .bind(sha256(&anonymous))
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(old, 0);

    let home = browser.get("/").await;
    assert_eq!(home.location(), "/s/harbour");
    let space = browser.get("/s/harbour").await;
    assert_eq!(space.status, StatusCode::OK);
    assert!(space.has("Welcome, Ana"));
    assert!(space.has("Member") && space.has("Active"));
}

#[tokio::test]
async fn sign_in_follows_only_local_next_links() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    browser.get("/signin").await;
    let page = browser
        .post(
            "/signin",
            &[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(page.location(), "/");
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

#[tokio::test]
async fn changing_the_password_signs_out_other_devices() {
    let app = app_with_member().await;
    let mut laptop = app.signed_in("ana@example.org").await;
    let mut phone = app.signed_in("ana@example.org").await;
    let new = "a brand new passphrase here";
    let page = laptop
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(laptop.get("/s/harbour").await.status, StatusCode::OK);
    assert_eq!(phone.get("/s/harbour").await.status, StatusCode::SEE_OTHER);

    let mut fresh = app.browser();
    fresh.get("/signin").await;
    let old = fresh
        .post(
            "/signin",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    fresh.sign_in("ana@example.org", new).await;
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
    browser.get("/reset").await;
    browser
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    let (_, body) = app.email_to("ana@example.org").await.unwrap();
    sqlx::query("update account_tokens set expires_at = now() - interval '1 minute'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        browser.get(&link_in(&body)).await.status,
        StatusCode::NOT_FOUND
    );
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
async fn an_unconfirmed_account_cannot_sign_in_and_is_sent_no_link() {
    let app = TestApp::new().await;
    app.space("harbour", SignupMode::Open).await;
    app.person("ana@example.org", "Ana").await;
    sqlx::query("update people set email_verified_at = null")
        .execute(&app.db)
        .await
        .unwrap();
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
    // A reset link proves the address: afterwards Ana signs in.
    browser.get("/reset").await;
    browser
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    let (_, body) = app.email_to("ana@example.org").await.unwrap();
    let link = link_in(&body);
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
        let page = browser
            .post(
                "/signin",
                &[
                    ("email", "ana@example.org"),
                    ("password", PASSWORD),
                    ("next", &percent_decode(next)),
                ],
            )
            .await;
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
async fn a_password_change_retires_older_reset_links() {
    let app = app_with_member().await;
    let mut browser = app.browser();
    browser.get("/reset").await;
    browser
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    let (_, body) = app.email_to("ana@example.org").await.unwrap();
    let link = link_in(&body);
    let mut ana = app.signed_in("ana@example.org").await;
    let new = "a brand new passphrase here";
    ana.post(
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", new),
            ("confirm_password", new),
        ],
    )
    .await;
    assert_eq!(browser.get(&link).await.status, StatusCode::NOT_FOUND);
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
