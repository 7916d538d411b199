//! The hardening a security review asked for: what anonymous traffic may write, masked
//! CSRF tokens, redacted logs, CSV cells, least privilege, and the demo's boundaries.

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::Code;
use swapdesk::ledger::{self, Payment};
use swapdesk::notify::mailer::Mailer;
use swapdesk::web::gate::CpuGate;

use crate::helpers::{BASE_URL, PASSWORD, TestApp, encode, link_in};
use crate::smtp::FakeSmtp;

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

#[tokio::test]
async fn a_password_change_or_reset_is_mailed_to_the_owner_and_retires_every_link() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (ana, _) = app
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    // Links of both kinds are out: an old confirmation and a reset.
    let mut conn = app.db.acquire().await.unwrap();
    swapdesk::auth::service::queue_verification(
        &mut conn,
        BASE_URL,
        ana,
        "ana@example.org",
        "Ana",
        "",
    )
    .await
    .unwrap();
    drop(conn);
    let (_, body) = app.email_to("ana@example.org").await.unwrap();
    let confirmation = link_in(&body);
    let mut browser = app.signed_in("ana@example.org").await;
    let new = "a brand new passphrase here";
    let page = browser
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
    let (subject, body) = app.email_to("ana@example.org").await.unwrap();
    assert_eq!(subject, "Your Swapdesk password was changed");
    assert!(body.contains("If it was not you") && body.contains("/reset"));
    assert_eq!(
        app.count("select count(*) from account_tokens where used_at is null")
            .await,
        0,
        "the confirmation link died with the change"
    );
    let mut stranger = app.browser();
    assert_eq!(
        stranger.get(&confirmation).await.status,
        StatusCode::NOT_FOUND
    );

    // A reset is mailed too.
    let mut visitor = app.browser();
    visitor.get("/reset").await;
    visitor
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    let body = app
        .email_about("ana@example.org", "Reset your Swapdesk password")
        .await
        .unwrap();
    let reset = link_in(&body);
    assert!(reset.starts_with("/reset/"));
    visitor.get(&reset).await;
    let newer = "another brand new passphrase";
    let done = visitor
        .post(
            &reset,
            &[("new_password", newer), ("confirm_password", newer)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count(
            "select count(*) from email_outbox
             where subject = 'Your Swapdesk password was changed'"
        )
        .await,
        2
    );
    assert_eq!(
        app.count(
            "select count(*) from audit_log where action in ('password.changed', 'password.reset')"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn an_account_email_keeps_its_link_only_until_it_is_delivered() {
    let app = TestApp::new().await;
    let smtp = FakeSmtp::start().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let mut visitor = app.browser();
    visitor.get("/reset").await;
    visitor
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    let (_, body) = app.email_to("ana@example.org").await.unwrap();
    let link = link_in(&body);
    // An ordinary email is kept whole after delivery.
    let mut conn = app.db.acquire().await.unwrap();
    swapdesk::notify::db::enqueue(
        &mut *conn,
        None,
        "bo@example.org",
        "Hello",
        "Plain news",
        false,
    )
    .await
    .unwrap();
    drop(conn);

    let mailer = Mailer::new(&smtp.url, "Swapdesk <no-reply@swapdesk.test>").unwrap();
    let sent = mailer.send_due(&app.db).await.unwrap();
    assert_eq!(sent, 2);
    let delivered = smtp.messages();
    assert!(
        delivered.iter().any(|m| m.contains(&link)),
        "the link went out by SMTP"
    );
    assert_eq!(
        app.count("select count(*) from email_outbox where sent_at is not null")
            .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "select count(*) from email_outbox where position('{link}' in body) > 0"
        ))
        .await,
        0,
        "no copy of the link is kept"
    );
    assert_eq!(
        app.count("select count(*) from email_outbox where body = 'Plain news'")
            .await,
        1
    );
}

/// Log lines written while `f` runs on this thread.
async fn logs_of<F: std::future::Future<Output = ()>>(f: F) -> String {
    #[derive(Clone, Default)]
    struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    f.await;
    drop(guard);
    String::from_utf8_lossy(&sink.0.lock().unwrap()).into_owned()
}

#[tokio::test]
async fn no_token_reaches_a_log_line() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let mut visitor = app.browser();
    visitor.get("/reset").await;
    visitor
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    let (_, body) = app.email_to("ana@example.org").await.unwrap();
    let link = link_in(&body);
    let token = link.trim_start_matches("/reset/").to_owned();

    let logs = logs_of(async {
        // Requests that log their path: a page, a refused form, an error.
        visitor.get(&link).await;
        visitor.post_raw(&link, "new_password=x").await;
        visitor.get(&format!("/verify/{token}")).await;
        visitor.get(&format!("/invite/{token}/extra")).await;
    })
    .await;
    assert!(logs.contains("/reset/[redacted]"), "{logs}");
    assert!(!logs.contains(&token), "{logs}");

    // With SMTP set, a queued email's body (its link) is never logged.
    swapdesk::notify::delivering_by_smtp(true);
    let logs = logs_of(async {
        let mut conn = app.db.acquire().await.unwrap();
        let person = swapdesk::auth::model::PersonId(app.count("select id from people").await);
        swapdesk::auth::service::queue_verification(
            &mut conn,
            BASE_URL,
            person,
            "ana@example.org",
            "Ana",
            "",
        )
        .await
        .unwrap();
    })
    .await;
    swapdesk::notify::delivering_by_smtp(false);
    let (_, body) = app.email_to("ana@example.org").await.unwrap();
    let link = link_in(&body);
    assert!(logs.contains("email queued"), "{logs}");
    assert!(!logs.contains(&link), "{logs}");
}

#[tokio::test]
async fn a_full_hashing_queue_answers_503_and_a_retry_gets_in() {
    let mut app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let gate = std::sync::Arc::new(CpuGate::new(1, 8, std::time::Duration::from_millis(200)));
    app.reconfigure(|state| state.hashing = gate.clone());
    let mut ana = app.browser();
    ana.get("/signin").await;

    let held = gate.hold_all().await.unwrap();
    let page = ana
        .post(
            "/signin",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.headers["retry-after"], "2");
    assert!(page.has("try again in a few seconds"));
    // Nothing was counted against Ana for the attempt that never ran.
    assert_eq!(
        app.count("select coalesce(max(hits), 0)::bigint from throttles where key like 'signin:%'")
            .await,
        0
    );
    drop(held);
    ana.sign_in("ana@example.org", PASSWORD).await;
}

#[tokio::test]
async fn every_text_cell_of_a_csv_is_defused() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (_, ana) = app
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let (_, evil) = app
        .member(space, "evil@example.org", Role::Member, Status::Active)
        .await;
    sqlx::query(
        "update people set display_name = '=HYPERLINK(\"http://evil.example\",\"x\")'
         where email = 'evil@example.org'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("update spaces set currency_name = '=cmd|x'")
        .execute(&app.db)
        .await
        .unwrap();
    let from = ledger_db::member_account(&app.db, space, evil)
        .await
        .unwrap()
        .unwrap();
    let to = ledger_db::member_account(&app.db, space, ana)
        .await
        .unwrap()
        .unwrap();
    let gift = Payment {
        id: ledger::new_id(),
        space,
        from,
        to,
        amount: 10,
        code: Code::Gift,
        memo: "@SUM(1+1)",
        by: None,
    };
    ledger::transfer(&app.db, &gift).await.unwrap();
    let mut browser = app.signed_in("ana@example.org").await;
    let csv = browser.get("/s/harbour/credits/statement.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert!(headers.iter().all(|h| !h.starts_with(['=', '+', '-', '@'])));
    let row = reader.records().next().unwrap().unwrap();
    for cell in row.iter() {
        assert!(!cell.starts_with(['=', '+', '@']), "a live formula: {cell}");
    }
    assert_eq!(&row[3], "'=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(&row[4], "'@SUM(1+1)");
    assert_eq!(&row[5], "0.10", "numbers are left as numbers");

    for text in ["=1+2", "+1", "-1", "@SUM(A1)", " =1", "\t=1", "＝1"] {
        assert!(swapdesk::web::csv::guard(text).starts_with('\''), "{text}");
    }
    assert_eq!(swapdesk::web::csv::guard("Ana"), "Ana");
}

#[tokio::test]
async fn the_apps_own_role_cannot_rewrite_the_ledger_or_switch_its_guards_off() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (_, ana) = app
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let (_, bo) = app
        .member(space, "bo@example.org", Role::Member, Status::Active)
        .await;
    let from = ledger_db::member_account(&app.db, space, ana)
        .await
        .unwrap()
        .unwrap();
    let to = ledger_db::member_account(&app.db, space, bo)
        .await
        .unwrap()
        .unwrap();
    // Through the app's own pool, money moves the proper way...
    let gift = Payment {
        id: ledger::new_id(),
        space,
        from,
        to,
        amount: 10,
        code: Code::Gift,
        memo: "thanks",
        by: None,
    };
    ledger::transfer(&app.state.db, &gift).await.unwrap();
    assert!(
        ledger_db::set_credit_limit(&app.state.db, space, from, 5000)
            .await
            .unwrap()
    );
    // ...and every way around it is refused.
    let role: String = sqlx::query_scalar("select current_user::text")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(role, swapdesk::db::APP_ROLE);
    for sql in [
        "update ledger_transfers set amount = 1",
        "delete from ledger_entries",
        "insert into ledger_transfers (id) values (gen_random_uuid())",
        "update ledger_accounts set credits_posted = credits_posted + 100000",
        "update ledger_accounts set grace = 100000",
        "alter table ledger_transfers disable trigger user",
        "alter table ledger_accounts drop constraint ledger_accounts_within_limit",
        "set session_replication_role = replica",
        "update audit_log set action = 'nothing'",
        "truncate audit_log",
        "delete from _sqlx_migrations",
        "create table planted (x int)",
    ] {
        let err = sqlx::query(sql)
            .execute(&app.state.db)
            .await
            .expect_err(sql);
        let code = err
            .as_database_error()
            .and_then(|e| e.code())
            .map(|c| c.into_owned())
            .unwrap_or_default();
        assert!(
            code == "42501" || code == "42P01",
            "{sql}: expected a refusal for want of privilege, got {err}"
        );
    }
    assert_eq!(app.count("select count(*) from ledger_transfers").await, 1);
}
