//! `swapdesk admin create` and the demo seed.

use swapdesk::cli::create_admin;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn admin_create_makes_the_space_and_its_first_admin() {
    let app = TestApp::new().await;
    create_admin(
        &app.db,
        "grind",
        Some("The Grind"),
        "boss@example.org",
        "Boss",
        PASSWORD,
    )
    .await
    .unwrap();
    let (name, role, status): (String, String, String) = sqlx::query_as(
        "select s.name, m.role, m.status from memberships m join spaces s on s.id = m.space_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), role.as_str(), status.as_str()),
        ("The Grind", "admin", "active")
    );
    let mut browser = app.signed_in("boss@example.org").await;
    assert!(browser.get("/s/grind/admin").await.has("Applications"));

    // Again, for a second space: the same person, with their own password, becomes its admin.
    create_admin(
        &app.db,
        "second",
        None,
        "boss@example.org",
        "Boss",
        PASSWORD,
    )
    .await
    .unwrap();
    assert_eq!(
        app.count("select count(*) from memberships where role = 'admin'")
            .await,
        2
    );
    // Someone else's password is refused.
    let err = create_admin(
        &app.db,
        "third",
        None,
        "boss@example.org",
        "Boss",
        "some other long password",
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("not its password"));
}

#[tokio::test]
async fn admin_create_refuses_a_weak_password_or_a_bad_slug() {
    let app = TestApp::new().await;
    let weak = create_admin(
        &app.db,
        "grind",
        None,
        "boss@example.org",
        "Boss",
        "password1234",
    )
    .await;
    assert!(weak.unwrap_err().to_string().contains("too common"));
    let slug = create_admin(
        &app.db,
        "Bad Slug",
        None,
        "boss@example.org",
        "Boss",
        PASSWORD,
    )
    .await;
    assert!(slug.is_err());
    assert_eq!(app.count("select count(*) from spaces").await, 0);
    assert_eq!(app.count("select count(*) from people").await, 0);
}

#[tokio::test]
async fn the_demo_seed_is_idempotent_and_its_admin_can_sign_in() {
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    let tables = [
        "people",
        "memberships",
        "skills",
        "skill_categories",
        "ledger_transfers",
        "ledger_entries",
    ];
    let mut counts = Vec::new();
    for table in tables {
        counts.push(app.count(&format!("select count(*) from {table}")).await);
    }
    // 40 active members and 2 applicants; 159 skills in 8 categories; three weeks of credits.
    assert_eq!(
        app.count("select count(*) from memberships where status = 'active'")
            .await,
        40
    );
    assert_eq!(
        app.count("select count(*) from memberships where status = 'pending'")
            .await,
        2
    );
    assert_eq!(counts[0], 42);
    assert_eq!(counts[2], 159);
    assert_eq!(counts[3], 8);
    assert!(counts[4] > 40, "credit history: {}", counts[4]);
    swapdesk::demo::seed(&app.db).await.unwrap();
    for (table, before) in tables.iter().zip(&counts) {
        let after = app.count(&format!("select count(*) from {table}")).await;
        assert_eq!(after, *before, "seeding twice changed {table}");
    }
    let mut browser = app.browser();
    browser
        .sign_in(swapdesk::demo::ADMIN_EMAIL, swapdesk::demo::PASSWORD)
        .await;
    let admin = browser.get("/s/demo/admin/applications").await;
    assert!(admin.has("Grace Adeyemi"));
}

#[tokio::test]
async fn ledger_verify_exits_non_zero_when_an_invariant_breaks() {
    use clap::Parser;
    use std::process::ExitCode;
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    let run = |url: String| async move {
        let cli = swapdesk::config::Cli::parse_from([
            "swapdesk",
            "--database-url",
            &url,
            "ledger",
            "verify",
            "--space",
            "demo",
        ]);
        swapdesk::cli::run(cli).await.unwrap()
    };
    assert_eq!(run(app.url.clone()).await, ExitCode::SUCCESS);
    // Someone with database access tampers with a balance behind the ledger's back.
    sqlx::query("alter table ledger_accounts drop constraint ledger_accounts_within_limit")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("update ledger_accounts set credits_posted = credits_posted + 100 where id = (select min(id) from ledger_accounts where kind = 'member')")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(run(app.url.clone()).await, ExitCode::FAILURE);
    let report = swapdesk::ledger::verify(&app.db, None).await.unwrap();
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| !c.ok())
        .map(|c| c.name)
        .collect();
    assert!(
        failed.iter().any(|n| n.starts_with("1.")) && failed.iter().any(|n| n.starts_with("3.")),
        "{failed:?}"
    );
}

#[tokio::test]
async fn the_demo_refuses_to_touch_a_space_it_did_not_make() {
    let app = TestApp::new().await;
    let space = app.space("demo", SignupMode::Invite).await;
    app.member(space, "owner@live.example", Role::Admin, Status::Active)
        .await;
    let before = app.count("select count(*) from people").await;
    let err = swapdesk::demo::seed(&app.db).await.unwrap_err();
    assert!(err.to_string().contains("did not make it"), "{err}");
    assert_eq!(app.count("select count(*) from people").await, before);
    assert_eq!(app.count("select count(*) from memberships").await, 1);
    assert_eq!(
        app.count("select count(*) from people where email like '%@harbour.example'")
            .await,
        0
    );
}
