//! The credit ledger through its Rust API (shared/LEDGER.md): transfers and immutability
//! here; refusals, idempotency, holds, amounts and the bank test with its negative control
//! in the files beside this one.

mod bank;
mod batch;
mod holds;
mod idempotency;
mod money;
mod refusals;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::{AccountId, Code, Outcome};
use swapdesk::ledger::{self, Payment};
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};

use crate::helpers::TestApp;

/// A space with `n` active members whose accounts have `limit` hundredths of credit.
pub async fn ledger_space(
    app: &TestApp,
    slug: &str,
    n: usize,
    limit: i64,
) -> (SpaceId, AccountId, Vec<AccountId>) {
    let (space, system, members) = ledger_members(app, slug, n, limit).await;
    (space, system, members.into_iter().map(|(_, a)| a).collect())
}

/// As `ledger_space`, with each member's membership beside their account.
pub async fn ledger_members(
    app: &TestApp,
    slug: &str,
    n: usize,
    limit: i64,
) -> (SpaceId, AccountId, Vec<(MembershipId, AccountId)>) {
    let space = app.space(slug, SignupMode::Open).await;
    let mut members = Vec::new();
    for i in 0..n {
        let (_, membership) = app
            .member(
                space,
                &format!("m{i}@{slug}.example"),
                Role::Member,
                Status::Active,
            )
            .await;
        let account = ledger_db::member_account(&app.db, space, membership)
            .await
            .unwrap()
            .unwrap();
        ledger_db::set_credit_limit(&app.db, space, account, limit)
            .await
            .unwrap();
        members.push((membership, account));
    }
    let system = ledger_db::space_account(&app.db, space).await.unwrap();
    (space, system, members)
}

fn pay(space: SpaceId, from: AccountId, to: AccountId, amount: i64) -> Payment<'static> {
    Payment {
        id: ledger::new_id(),
        space,
        from,
        to,
        amount,
        code: Code::Gift,
        memo: "test",
        by: None,
    }
}

async fn balance(db: &PgPool, account: AccountId) -> i64 {
    ledger_db::balance(db, account)
        .await
        .unwrap()
        .unwrap()
        .balance()
}

async fn assert_verified(db: &PgPool, space: SpaceId) {
    let report = ledger::verify(db, Some(space)).await.unwrap();
    assert!(report.ok(), "{}", report.text());
}

/// A pool of its own, wider than the app's, for tests that race many tasks.
async fn pool_of(url: &str, connections: u32) -> PgPool {
    PgPoolOptions::new()
        .max_connections(connections)
        .connect(url)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_transfer_moves_credits_and_records_both_entries() {
    let app = TestApp::new().await;
    let (space, system, accounts) = ledger_space(&app, "s", 2, 1000).await;
    let grant = Payment {
        code: Code::Grant,
        ..pay(space, system, accounts[0], 500)
    };
    assert!(matches!(
        ledger::transfer(&app.db, &grant).await.unwrap(),
        Outcome::Applied(_)
    ));
    let gift = pay(space, accounts[0], accounts[1], 1200);
    let Outcome::Applied(receipt) = ledger::transfer(&app.db, &gift).await.unwrap() else {
        panic!("the gift should go through within the credit limit");
    };
    assert_eq!(receipt.amount, 1200);
    assert_eq!(balance(&app.db, accounts[0]).await, -700);
    assert_eq!(balance(&app.db, accounts[1]).await, 1200);
    assert_eq!(balance(&app.db, system).await, -500);
    let entries: i64 =
        sqlx::query_scalar("select count(*) from ledger_entries where transfer_id = $1")
            .bind(gift.id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(entries, 2);
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn ledger_rows_cannot_be_changed_or_removed() {
    let app = TestApp::new().await;
    let (space, _, accounts) = ledger_space(&app, "s", 2, 1000).await;
    ledger::transfer(&app.db, &pay(space, accounts[0], accounts[1], 100))
        .await
        .unwrap();
    // Refused, so that there is a rejection row for the triggers to guard.
    ledger::transfer(&app.db, &pay(space, accounts[0], accounts[1], 5000))
        .await
        .unwrap();
    for sql in [
        "update ledger_transfers set amount = 1",
        "delete from ledger_transfers",
        "truncate ledger_transfers cascade",
        "update ledger_entries set posted_delta = 0",
        "delete from ledger_entries",
        "truncate ledger_entries",
        "update ledger_rejections set reason = 'x'",
        "delete from ledger_rejections",
    ] {
        let err = sqlx::query(sql).execute(&app.db).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn the_databases_own_limit_check_stands_behind_the_codes() {
    let app = TestApp::new().await;
    let (space, _, accounts) = ledger_space(&app, "s", 2, 1000).await;
    // Someone with database access, or a bug past the code's checks, overdraws an account.
    let err = sqlx::query(
        "update ledger_accounts set debits_posted = debits_posted + 100000 where id = $1",
    )
    .bind(accounts[0].0)
    .execute(&app.db)
    .await
    .expect_err("past the limit");
    assert!(err.to_string().contains("ledger_accounts_within_limit"));
    assert_verified(&app.db, space).await;
}
