//! The instance key that signs anonymous form cookies and unsubscribe links: made once and
//! shared by every instance on a database, unless `SECRET_KEY` names one.

use axum::http::StatusCode;
use swapdesk::db::instance_key;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn instances_on_one_database_make_and_share_one_key() {
    let mut a = TestApp::new().await;
    let mut b = TestApp::on(&a.url).await;
    // Two instances starting at once, through the app's own role.
    let (first, second) = tokio::join!(
        instance_key(&a.state.db, None),
        instance_key(&b.state.db, None)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.master(), second.master());
    let again = instance_key(&a.state.db, None).await.unwrap();
    assert_eq!(
        first.master(),
        again.master(),
        "the same key at the next start"
    );
    assert_eq!(a.count("select count(*) from instance_secrets").await, 1);

    // A sign-in form one instance gave out is accepted by the other.
    let space = a.space("harbour", SignupMode::Open).await;
    a.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    a.reconfigure(|s| std::sync::Arc::make_mut(&mut s.settings).key = first.clone());
    b.reconfigure(|s| std::sync::Arc::make_mut(&mut s.settings).key = second.clone());
    let mut on_a = a.browser();
    on_a.get("/signin").await;
    let mut on_b = on_a.on(b.router.clone());
    let page = on_b
        .post(
            "/signin",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

#[tokio::test]
async fn a_configured_secret_key_wins_over_the_stored_one() {
    let app = TestApp::new().await;
    let stored = instance_key(&app.state.db, None).await.unwrap();
    let secret = "a secret key of forty characters or so!!";
    let configured = instance_key(&app.state.db, Some(secret)).await.unwrap();
    assert_eq!(
        configured.master(),
        cookie::Key::derive_from(secret.as_bytes()).master()
    );
    assert_ne!(configured.master(), stored.master());
    // The same on every instance that is given it.
    let again = instance_key(&app.state.db, Some(secret)).await.unwrap();
    assert_eq!(configured.master(), again.master());
}

#[tokio::test]
async fn a_secret_key_shorter_than_32_characters_is_refused() {
    let app = TestApp::new().await;
    let err = instance_key(&app.state.db, Some("only thirty-one characters long"))
        .await
        .expect_err("too short");
    assert!(err.to_string().contains("at least 32 characters"), "{err}");
    assert!(
        instance_key(&app.state.db, Some(&"k".repeat(32)))
            .await
            .is_ok()
    );
    assert_eq!(
        app.count("select count(*) from instance_secrets").await,
        0,
        "nothing stored when a key is configured"
    );
}
