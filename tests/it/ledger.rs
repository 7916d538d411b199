//! The credit ledger through its Rust API: refusals, idempotency, holds, immutability,
//! limits, and the concurrency test with its negative control (shared/LEDGER.md).

mod bank;

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::{AccountId, Code, Outcome, Reason};
use swapdesk::ledger::money::{AmountError, format_amount, parse_amount};
use swapdesk::ledger::{self, Payment};
use swapdesk::spaces::model::{Role, SignupMode, SpaceId, Status};
use uuid::Uuid;

use crate::helpers::TestApp;

#[test]
fn amounts_parse_into_hundredths_and_format_with_the_currency() {
    assert_eq!(parse_amount("1.5"), Ok(150));
    assert_eq!(parse_amount("1,5"), Ok(150));
    assert_eq!(parse_amount(" 2 "), Ok(200));
    assert_eq!(parse_amount("0.05"), Ok(5));
    assert_eq!(parse_amount(".5"), Ok(50));
    assert_eq!(parse_amount("1000000"), Ok(100_000_000));
    assert_eq!(parse_amount(""), Err(AmountError::Empty));
    assert_eq!(parse_amount("-1"), Err(AmountError::Negative));
    assert_eq!(parse_amount("0"), Err(AmountError::Zero));
    assert_eq!(parse_amount("0.00"), Err(AmountError::Zero));
    assert_eq!(parse_amount("1.234"), Err(AmountError::TooManyDecimals));
    assert_eq!(parse_amount("1000000.01"), Err(AmountError::TooLarge));
    assert_eq!(
        parse_amount("99999999999999999999999999"),
        Err(AmountError::TooLarge)
    );
    for bad in [
        "abc", "1e5", "1.", "1,000.50", "1.2.3", "NaN", "1 5", "½", "0x10",
    ] {
        assert_eq!(parse_amount(bad), Err(AmountError::NotANumber), "{bad}");
    }
    assert_eq!(format_amount(150, "hours"), "1.50 hours");
    assert_eq!(format_amount(-5, "hours"), "-0.05 hours");
    assert_eq!(format_amount(0, "Grind credits"), "0.00 Grind credits");
}

/// A space with `n` active members whose accounts have `limit` hundredths of credit.
pub async fn ledger_space(
    app: &TestApp,
    slug: &str,
    n: usize,
    limit: i64,
) -> (SpaceId, AccountId, Vec<AccountId>) {
    let space = app.space(slug, SignupMode::Open).await;
    let mut accounts = Vec::new();
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
        accounts.push(account);
    }
    let system = ledger_db::space_account(&app.db, space).await.unwrap();
    (space, system, accounts)
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
async fn each_refusal_has_its_reason_and_is_recorded() {
    let app = TestApp::new().await;
    let (space, system, accounts) = ledger_space(&app, "s", 3, 1000).await;
    let (other_space, _, other_accounts) = ledger_space(&app, "other", 1, 1000).await;
    let _ = other_space;

    let over = pay(space, accounts[0], accounts[1], 1001);
    assert_eq!(
        ledger::transfer(&app.db, &over).await.unwrap(),
        Outcome::Rejected(Reason::InsufficientFunds)
    );

    sqlx::query("update ledger_accounts set max_balance = 500 where id = $1")
        .bind(accounts[2].0)
        .execute(&app.db)
        .await
        .unwrap();
    let too_rich = pay(space, accounts[0], accounts[2], 600);
    assert_eq!(
        ledger::transfer(&app.db, &too_rich).await.unwrap(),
        Outcome::Rejected(Reason::ExceedsMaxBalance)
    );

    sqlx::query("update ledger_accounts set closed = true where id = $1")
        .bind(accounts[1].0)
        .execute(&app.db)
        .await
        .unwrap();
    let to_closed = pay(space, accounts[0], accounts[1], 100);
    assert_eq!(
        ledger::transfer(&app.db, &to_closed).await.unwrap(),
        Outcome::Rejected(Reason::AccountClosed)
    );

    // Another space's account does not exist here.
    let across = pay(space, accounts[0], other_accounts[0], 100);
    assert_eq!(
        ledger::transfer(&app.db, &across).await.unwrap(),
        Outcome::Rejected(Reason::AccountNotFound)
    );

    let nothing = pay(space, accounts[0], accounts[2], 0);
    assert_eq!(
        ledger::transfer(&app.db, &nothing).await.unwrap(),
        Outcome::Rejected(Reason::InvalidAmount)
    );

    let unknown = Uuid::now_v7();
    assert_eq!(
        ledger::post(&app.db, space, ledger::new_id(), unknown, None, None)
            .await
            .unwrap(),
        Outcome::Rejected(Reason::HoldNotFound)
    );
    assert_eq!(
        ledger::reverse(
            &app.db,
            space,
            ledger::new_id(),
            unknown,
            "why",
            false,
            None
        )
        .await
        .unwrap(),
        Outcome::Rejected(Reason::TransferNotFound)
    );

    let hold = pay(space, accounts[0], accounts[2], 300);
    ledger::hold(&app.db, &hold, Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(
        ledger::post(&app.db, space, ledger::new_id(), hold.id, Some(301), None)
            .await
            .unwrap(),
        Outcome::Rejected(Reason::PostExceedsHold)
    );
    // A hold cannot be reversed; a reversal cannot be reversed.
    assert_eq!(
        ledger::reverse(
            &app.db,
            space,
            ledger::new_id(),
            hold.id,
            "why",
            false,
            None
        )
        .await
        .unwrap(),
        Outcome::Rejected(Reason::NotReversible)
    );
    let grant = Payment {
        code: Code::Grant,
        ..pay(space, system, accounts[0], 100)
    };
    ledger::transfer(&app.db, &grant).await.unwrap();
    let reversal = ledger::new_id();
    ledger::reverse(&app.db, space, reversal, grant.id, "mistake", false, None)
        .await
        .unwrap();
    assert_eq!(
        ledger::reverse(
            &app.db,
            space,
            ledger::new_id(),
            reversal,
            "undo",
            false,
            None
        )
        .await
        .unwrap(),
        Outcome::Rejected(Reason::NotReversible)
    );

    let rejections: i64 = sqlx::query_scalar("select count(*) from ledger_rejections")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rejections, 10);
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn the_same_id_twice_makes_one_transfer_and_a_different_request_is_a_conflict() {
    let app = TestApp::new().await;
    let (space, _, accounts) = ledger_space(&app, "s", 2, 1000).await;
    let gift = pay(space, accounts[0], accounts[1], 250);
    let first = ledger::transfer(&app.db, &gift).await.unwrap();
    let second = ledger::transfer(&app.db, &gift).await.unwrap();
    let (Outcome::Applied(a), Outcome::Duplicate(b)) = (&first, &second) else {
        panic!("expected applied then duplicate, got {first:?} and {second:?}");
    };
    assert_eq!(a, b, "a retry gets the original result");
    let changed = Payment {
        amount: 300,
        ..gift.clone()
    };
    assert_eq!(
        ledger::transfer(&app.db, &changed).await.unwrap(),
        Outcome::Conflict
    );
    let transfers: i64 = sqlx::query_scalar("select count(*) from ledger_transfers")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(transfers, 1);
    assert_eq!(balance(&app.db, accounts[1]).await, 250);

    // A refusal is final for its id: a retry is refused again, even once funds are there.
    let big = pay(space, accounts[1], accounts[0], 2000);
    assert_eq!(
        ledger::transfer(&app.db, &big).await.unwrap(),
        Outcome::Rejected(Reason::InsufficientFunds)
    );
    let top_up = pay(space, accounts[0], accounts[1], 900);
    ledger::transfer(&app.db, &top_up).await.unwrap();
    assert_eq!(
        ledger::transfer(&app.db, &big).await.unwrap(),
        Outcome::Rejected(Reason::InsufficientFunds)
    );
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn a_hold_counts_at_once_and_posts_up_to_the_amount_held() {
    let app = TestApp::new().await;
    let (space, _, accounts) = ledger_space(&app, "s", 2, 1000).await;
    let hold = pay(space, accounts[0], accounts[1], 800);
    assert!(matches!(
        ledger::hold(&app.db, &hold, Duration::from_secs(3600))
            .await
            .unwrap(),
        Outcome::Applied(_)
    ));
    let held = ledger_db::balance(&app.db, accounts[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (held.balance(), held.held(), held.available()),
        (0, 800, 200)
    );
    // The payer cannot spend the held credits twice.
    let spend = pay(space, accounts[0], accounts[1], 300);
    assert_eq!(
        ledger::transfer(&app.db, &spend).await.unwrap(),
        Outcome::Rejected(Reason::InsufficientFunds)
    );

    let posted = ledger::post(&app.db, space, ledger::new_id(), hold.id, Some(500), None)
        .await
        .unwrap();
    assert!(matches!(posted, Outcome::Applied(ref r) if r.amount == 500));
    let after = ledger_db::balance(&app.db, accounts[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (after.balance(), after.held(), after.available()),
        (-500, 0, 500)
    );
    assert_eq!(balance(&app.db, accounts[1]).await, 500);
    assert_eq!(
        ledger::void(&app.db, space, ledger::new_id(), hold.id, None)
            .await
            .unwrap(),
        Outcome::Rejected(Reason::HoldAlreadyResolved)
    );
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn an_expired_hold_is_released_and_never_posted() {
    let app = TestApp::new().await;
    let (space, _, accounts) = ledger_space(&app, "s", 2, 1000).await;
    let hold = pay(space, accounts[0], accounts[1], 400);
    ledger::hold(&app.db, &hold, Duration::ZERO).await.unwrap();
    // Past its timeout by the database clock, even before the expiry job runs.
    assert_eq!(
        ledger::post(&app.db, space, ledger::new_id(), hold.id, None, None)
            .await
            .unwrap(),
        Outcome::Rejected(Reason::HoldExpired)
    );
    assert_eq!(ledger::expire_due(&app.db, 10).await.unwrap(), 1);
    assert_eq!(ledger::expire_due(&app.db, 10).await.unwrap(), 0);
    let after = ledger_db::balance(&app.db, accounts[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!((after.held(), after.available()), (0, 1000));
    assert_eq!(
        ledger::void(&app.db, space, ledger::new_id(), hold.id, None)
            .await
            .unwrap(),
        Outcome::Rejected(Reason::HoldExpired)
    );
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn a_hold_resolves_once_when_post_and_void_race() {
    let app = TestApp::new().await;
    let pool = pool_of(&app.url, 12).await;
    let (space, _, accounts) = ledger_space(&app, "s", 2, 100_000).await;
    for round in 0..30 {
        let hold = pay(space, accounts[round % 2], accounts[(round + 1) % 2], 100);
        ledger::hold(&pool, &hold, Duration::from_secs(3600))
            .await
            .unwrap();
        let (p1, p2) = (pool.clone(), pool.clone());
        let post = tokio::spawn(async move {
            ledger::post(&p1, space, ledger::new_id(), hold.id, None, None).await
        });
        let void =
            tokio::spawn(
                async move { ledger::void(&p2, space, ledger::new_id(), hold.id, None).await },
            );
        let outcomes = [post.await.unwrap().unwrap(), void.await.unwrap().unwrap()];
        let applied = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Applied(_)))
            .count();
        assert_eq!(applied, 1, "round {round}: {outcomes:?}");
        assert!(outcomes.contains(&Outcome::Rejected(Reason::HoldAlreadyResolved)));
    }
    assert_verified(&pool, space).await;
}

#[tokio::test]
async fn ledger_rows_cannot_be_changed_or_removed() {
    let app = TestApp::new().await;
    let (space, _, accounts) = ledger_space(&app, "s", 2, 1000).await;
    ledger::transfer(&app.db, &pay(space, accounts[0], accounts[1], 100))
        .await
        .unwrap();
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
    // The database's own limit check stands behind the code's.
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

#[tokio::test]
async fn lowering_a_limit_below_a_debt_is_allowed_and_stops_spending() {
    let app = TestApp::new().await;
    let (space, _, accounts) = ledger_space(&app, "s", 2, 2000).await;
    ledger::transfer(&app.db, &pay(space, accounts[0], accounts[1], 1500))
        .await
        .unwrap();
    assert!(
        ledger_db::set_credit_limit(&app.db, space, accounts[0], 500)
            .await
            .unwrap()
    );
    assert_verified(&app.db, space).await;
    assert_eq!(
        ledger::transfer(&app.db, &pay(space, accounts[0], accounts[1], 1))
            .await
            .unwrap(),
        Outcome::Rejected(Reason::InsufficientFunds)
    );
    // Earning pays the debt down; spending resumes only within the new limit.
    ledger::transfer(&app.db, &pay(space, accounts[1], accounts[0], 1200))
        .await
        .unwrap();
    assert_eq!(balance(&app.db, accounts[0]).await, -300);
    assert_eq!(
        ledger::transfer(&app.db, &pay(space, accounts[0], accounts[1], 201))
            .await
            .unwrap(),
        Outcome::Rejected(Reason::InsufficientFunds)
    );
    assert!(matches!(
        ledger::transfer(&app.db, &pay(space, accounts[0], accounts[1], 200))
            .await
            .unwrap(),
        Outcome::Applied(_)
    ));
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn a_reversal_obeys_limits_unless_an_admin_overrides_them() {
    let app = TestApp::new().await;
    let (space, _, accounts) = ledger_space(&app, "s", 3, 1000).await;
    let payment = pay(space, accounts[0], accounts[1], 1000);
    ledger::transfer(&app.db, &payment).await.unwrap();
    // The receiver spends it all, and their whole limit, elsewhere.
    ledger::transfer(&app.db, &pay(space, accounts[1], accounts[2], 2000))
        .await
        .unwrap();
    assert_eq!(
        ledger::reverse(
            &app.db,
            space,
            ledger::new_id(),
            payment.id,
            "wrong person",
            false,
            None
        )
        .await
        .unwrap(),
        Outcome::Rejected(Reason::InsufficientFunds)
    );
    let forced = ledger::new_id();
    assert!(matches!(
        ledger::reverse(
            &app.db,
            space,
            forced,
            payment.id,
            "wrong person",
            true,
            None
        )
        .await
        .unwrap(),
        Outcome::Applied(_)
    ));
    assert_eq!(balance(&app.db, accounts[1]).await, -2000);
    assert_eq!(balance(&app.db, accounts[0]).await, 0);
    let overridden: bool =
        sqlx::query_scalar("select limit_override from ledger_transfers where id = $1")
            .bind(forced)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(overridden, "the override is recorded on the transfer");
    // Reversed once only.
    assert_eq!(
        ledger::reverse(
            &app.db,
            space,
            ledger::new_id(),
            payment.id,
            "again",
            true,
            None
        )
        .await
        .unwrap(),
        Outcome::Rejected(Reason::AlreadyReversed)
    );
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn a_member_payment_retried_after_a_suspension_gets_its_original_outcome() {
    let app = TestApp::new().await;
    let space = app.space("s", SignupMode::Open).await;
    let (_, ana) = app
        .member(space, "ana@s.example", Role::Member, Status::Active)
        .await;
    let (_, bea) = app
        .member(space, "bea@s.example", Role::Member, Status::Active)
        .await;
    let payment = ledger::MemberPayment {
        id: ledger::new_id(),
        space,
        from: ana,
        to: bea,
        amount: 150,
        code: Code::Gift,
        memo: "thanks",
        by: None,
    };
    let Outcome::Applied(first) = ledger::pay_member(&app.db, &payment).await.unwrap() else {
        panic!("the payment should go through");
    };
    sqlx::query("update memberships set status = 'suspended' where id = $1")
        .bind(bea.0)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        ledger::pay_member(&app.db, &payment).await.unwrap(),
        Outcome::Duplicate(first)
    );
    // A new payment to a suspended member is refused, and nothing is recorded for it.
    let again = ledger::MemberPayment {
        id: ledger::new_id(),
        ..payment.clone()
    };
    assert_eq!(
        ledger::pay_member(&app.db, &again).await.unwrap(),
        Outcome::Rejected(Reason::MemberNotActive)
    );
    assert_eq!(app.count("select count(*) from ledger_rejections").await, 0);
    assert_verified(&app.db, space).await;
}
