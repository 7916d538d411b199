//! Account email: a password change is mailed, every link retires with it, a delivered
//! link is not kept, and no token reaches a log line.

use axum::http::StatusCode;
use swapdesk::auth::model::PersonId;
use swapdesk::notify::mailer::Mailer;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use swapdesk::notify::model::Group;
use swapdesk::notify::unsubscribe::{Scope, Unsubscribe};
use swapdesk::web::routes;

use crate::helpers::{BASE_URL, PASSWORD, Page, TestApp, link_in};
use crate::smtp::FakeSmtp;

#[tokio::test]
async fn a_password_change_or_reset_is_mailed_to_the_owner_and_retires_every_link() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (ana, _) = app
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    // Links of both kinds are out: an old confirmation and a reset.
    let confirmation = mailed_confirmation(&app, ana).await;
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
    let done = reset_through_mailed_link(&app, "another brand new passphrase").await;
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

/// The path of a confirmation link mailed to Ana, as joining would send it.
async fn mailed_confirmation(app: &TestApp, ana: PersonId) -> String {
    let mut conn = app.db.acquire().await.unwrap();
    swapdesk::auth::service::queue_verification(
        &mut conn,
        BASE_URL,
        ana,
        "ana@example.org",
        "Ana",
        "",
        false,
    )
    .await
    .unwrap();
    drop(conn);
    let (_, body) = app.email_to("ana@example.org").await.unwrap();
    link_in(&body)
}

/// Ana forgets her password: she asks for a reset, opens the mailed link and chooses `new`.
async fn reset_through_mailed_link(app: &TestApp, new: &str) -> Page {
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
    visitor
        .post(&reset, &[("new_password", new), ("confirm_password", new)])
        .await
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
    let (_, membership) = app
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let mut visitor = app.browser();
    visitor.get("/reset").await;
    visitor
        .post("/reset", &[("email", "ana@example.org")])
        .await;
    let (_, body) = app.email_to("ana@example.org").await.unwrap();
    let link = link_in(&body);
    let token = link.trim_start_matches("/reset/").to_owned();
    // A new address to confirm, and a one-click unsubscribe link: live credentials too.
    let mut ana = app.signed_in("ana@example.org").await;
    ana.get("/account").await;
    ana.post(
        "/account/email",
        &[
            ("new_email", "ana@new.example"),
            ("email_password", PASSWORD),
        ],
    )
    .await;
    let change = link_in(
        &app.email_about(
            "ana@new.example",
            "Confirm your new email address for Swapdesk",
        )
        .await
        .unwrap(),
    );
    assert!(change.starts_with("/account/email/"), "{change}");
    let unsubscribe = Unsubscribe {
        membership,
        scope: Scope::Group(Group::Trades),
        expires: time::OffsetDateTime::now_utc() + time::Duration::days(1),
    }
    .token(&app.state.settings.key);
    let secrets = [
        token.clone(),
        change.trim_start_matches("/account/email/").to_owned(),
        unsubscribe.clone(),
    ];

    let logs = logs_of(async {
        // Requests that log their path: a page, a refused form, an error.
        visitor.get(&link).await;
        visitor.post_raw(&link, "new_password=x").await;
        visitor.get(&format!("/verify/{token}")).await;
        visitor.get(&format!("/invite/{token}/extra")).await;
        visitor.get(&change).await;
        visitor.post_raw(&change, "").await;
        visitor.get(&format!("/unsubscribe/{unsubscribe}")).await;
        visitor
            .post_raw(
                &format!("/unsubscribe/{unsubscribe}"),
                "List-Unsubscribe=One-Click",
            )
            .await;
    })
    .await;
    for redacted in [
        "/reset/[redacted]",
        "/verify/[redacted]",
        "/invite/[redacted]/extra",
        "/account/email/[redacted]",
        "/unsubscribe/[redacted]",
    ] {
        assert!(logs.contains(redacted), "{redacted} in {logs}");
    }
    for secret in &secrets {
        assert!(!logs.contains(secret.as_str()), "{secret} in {logs}");
    }

    // With SMTP set, a queued email's body (its link) is never logged.
    swapdesk::notify::delivering_by_smtp(true);
    let logs = logs_of(async {
        let mut conn = app.db.acquire().await.unwrap();
        let person = PersonId(app.count("select id from people").await);
        swapdesk::auth::service::queue_verification(
            &mut conn,
            BASE_URL,
            person,
            "ana@example.org",
            "Ana",
            "",
            false,
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

#[test]
fn every_route_with_a_token_in_its_path_is_redacted() {
    let secret = "s3cret-t0ken";
    let mut covered: Vec<&str> = routes::table()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| p.contains("{token}"))
        .collect();
    covered.sort_unstable();
    covered.dedup();
    for pattern in &covered {
        let sample: String = pattern
            .split('/')
            .map(|s| match s {
                "{token}" => secret,
                s if s.starts_with('{') => "1",
                s => s,
            })
            .collect::<Vec<_>>()
            .join("/");
        let logged = swapdesk::web::redact::path(&sample);
        assert!(
            !logged.contains(secret) && logged.contains("[redacted]"),
            "{pattern}: {logged}"
        );
    }
    for link in [
        "/reset/{token}",
        "/verify/{token}",
        "/invite/{token}",
        "/account/email/{token}",
        "/unsubscribe/{token}",
    ] {
        assert!(covered.contains(&link), "{link} is in the table");
    }
    assert_eq!(swapdesk::web::redact::path("/reset"), "/reset");
    assert_eq!(
        swapdesk::web::redact::path("/s/harbour/inbox"),
        "/s/harbour/inbox"
    );
}
