//! Limits on what anyone can make the app do: a bounded hashing queue, CSV cells that stay
//! text, and a database role that cannot rewrite the ledger.

use axum::http::StatusCode;
use sqlx::postgres::PgPoolOptions;
use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::AccountId;
use swapdesk::ledger::model::Code;
use swapdesk::ledger::{self, Payment};
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};
use swapdesk::web::gate::CpuGate;

use crate::helpers::{PASSWORD, TestApp, app_url_for, empty_database};

/// A gift of 0.10 between two members, straight through the ledger on `pool`. Returns the
/// giver's account.
async fn gift(
    pool: &sqlx::PgPool,
    space: SpaceId,
    from: MembershipId,
    to: MembershipId,
    memo: &str,
) -> AccountId {
    let account = |m| async move {
        ledger_db::member_account(pool, space, m)
            .await
            .unwrap()
            .unwrap()
    };
    let from = account(from).await;
    let payment = Payment {
        id: ledger::new_id(),
        space,
        from,
        to: account(to).await,
        amount: 10,
        code: Code::Gift,
        memo,
        by: None,
    };
    ledger::transfer(pool, &payment).await.unwrap();
    from
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

#[test]
fn the_hashing_gate_runs_at_most_four_hashes_whatever_the_core_count() {
    for cores in [1, 2, 4, 16, 64, 256] {
        assert_eq!(
            CpuGate::for_cores(cores).slots(),
            cores.min(4),
            "{cores} cores"
        );
    }
    // Each hash holds 19 MiB: what a flood can make argon2 hold stays far under 200 MB.
    const { assert!(swapdesk::web::gate::MAX_SLOTS * 19 * 1024 * 1024 < 100_000_000) };
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
    gift(&app.db, space, evil, ana, "@SUM(1+1)").await;
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

    // The admin's CSV of the space's ledger names both parties of every transfer.
    app.member(space, "admin@example.org", Role::Admin, Status::Active)
        .await;
    let mut admin = app.signed_in("admin@example.org").await;
    let csv = admin.get("/s/harbour/admin/ledger.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    for cell in row.iter() {
        assert!(!cell.starts_with(['=', '+', '@']), "a live formula: {cell}");
    }
    assert_eq!(
        &row[3], "'=HYPERLINK(\"http://evil.example\",\"x\")",
        "{row:?}"
    );
    assert_eq!(&row[6], "'@SUM(1+1)", "{row:?}");

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
    // Through the app's own pool, money moves the proper way...
    let from = gift(&app.state.db, space, ana, bo, "thanks").await;
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
        "create table public.planted (x int)",
        "create function public.lower(text) returns text language sql as 'select $1'",
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
    let may_create: bool =
        sqlx::query_scalar("select has_schema_privilege(current_user, 'public', 'CREATE')")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(!may_create, "the app's role makes nothing in public");
}

/// PostgreSQL 14 and older let every role create in `public`, on the search_path of the
/// ledger's SECURITY DEFINER functions: the migrations take that back.
#[tokio::test]
async fn the_migrations_take_back_a_servers_create_in_public() {
    let url = empty_database().await;
    let owner = PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    sqlx::query("grant create on schema public to public")
        .execute(&owner)
        .await
        .unwrap();
    swapdesk::db::migrate(&owner).await.unwrap();
    let database = url.rsplit_once('/').unwrap().1;
    let app = PgPoolOptions::new()
        .max_connections(1)
        .connect(&app_url_for(database))
        .await
        .unwrap();
    let err = sqlx::query("create table public.planted (x int)")
        .execute(&app)
        .await
        .expect_err("the app's role creates nothing");
    assert_eq!(
        err.as_database_error().and_then(|e| e.code()).as_deref(),
        Some("42501"),
        "{err}"
    );
    // The app itself still works: it needs no CREATE.
    sqlx::query("select count(*) from people")
        .execute(&app)
        .await
        .unwrap();
    app.close().await;
    owner.close().await;
}
