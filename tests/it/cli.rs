//! `swapdesk admin create` and the demo seed.

use swapdesk::cli::create_admin;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{PASSWORD, TestApp};

/// `swapdesk admin create` for Boss, with `password`.
async fn create_boss(
    app: &TestApp,
    slug: &str,
    name: Option<&str>,
    password: &str,
) -> anyhow::Result<()> {
    create_admin(&app.db, slug, name, "boss@example.org", "Boss", password).await
}

#[tokio::test]
async fn admin_create_makes_the_space_and_its_first_admin() {
    let app = TestApp::new().await;
    create_boss(&app, "grind", Some("The Grind"), PASSWORD)
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
}

#[tokio::test]
async fn admin_create_makes_an_existing_person_with_their_password_admin_of_another_space() {
    let app = TestApp::new().await;
    create_boss(&app, "grind", Some("The Grind"), PASSWORD)
        .await
        .unwrap();
    create_boss(&app, "second", None, PASSWORD).await.unwrap();
    assert_eq!(
        app.count("select count(*) from memberships where role = 'admin'")
            .await,
        2
    );
}

#[tokio::test]
async fn admin_create_refuses_an_existing_person_with_another_password() {
    let app = TestApp::new().await;
    create_boss(&app, "grind", Some("The Grind"), PASSWORD)
        .await
        .unwrap();
    let err = create_boss(&app, "third", None, "some other long password")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not its password"));
}

async fn assert_nothing_made(app: &TestApp) {
    assert_eq!(app.count("select count(*) from spaces").await, 0);
    assert_eq!(app.count("select count(*) from people").await, 0);
}

#[tokio::test]
async fn admin_create_refuses_a_weak_password() {
    let app = TestApp::new().await;
    let weak = create_boss(&app, "grind", None, "password1234").await;
    assert!(weak.unwrap_err().to_string().contains("too common"));
    assert_nothing_made(&app).await;
}

#[tokio::test]
async fn admin_create_refuses_a_bad_slug() {
    let app = TestApp::new().await;
    let slug = create_boss(&app, "Bad Slug", None, PASSWORD).await;
    assert!(slug.is_err());
    assert_nothing_made(&app).await;
}

const DEMO_TABLES: [&str; 6] = [
    "people",
    "memberships",
    "skills",
    "skill_categories",
    "ledger_transfers",
    "ledger_entries",
];

async fn demo_counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in DEMO_TABLES {
        counts.push(app.count(&format!("select count(*) from {table}")).await);
    }
    counts
}

#[tokio::test]
async fn the_demo_seed_makes_a_living_space() {
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    let counts = demo_counts(&app).await;
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
}

#[tokio::test]
async fn seeding_the_demo_twice_changes_nothing() {
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    let counts = demo_counts(&app).await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    for (table, before) in DEMO_TABLES.iter().zip(&counts) {
        let after = app.count(&format!("select count(*) from {table}")).await;
        assert_eq!(after, *before, "seeding twice changed {table}");
    }
}

#[tokio::test]
async fn the_demo_admin_signs_in_with_the_published_password() {
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
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
    let failed: Vec<u8> = report
        .checks
        .iter()
        .filter(|c| !c.ok())
        .map(|c| c.invariant)
        .collect();
    assert!(failed.contains(&1) && failed.contains(&3), "{failed:?}");
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
