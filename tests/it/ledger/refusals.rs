//! Each refusal has its reason and is recorded, so a retry of its id gets it again; and the
//! limits behind the refusals, which only an admin's reversal may override.

use std::time::Duration;

use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::{AccountId, Code, Outcome, Reason};
use swapdesk::ledger::{self, Payment};
use swapdesk::spaces::model::SpaceId;
use uuid::Uuid;

use super::{assert_verified, balance, ledger_space, pay};
use crate::helpers::TestApp;

/// Three members who may each go 10.00 below zero, and the space's own account.
async fn three_members() -> (TestApp, SpaceId, AccountId, Vec<AccountId>) {
    let app = TestApp::new().await;
    let (space, system, accounts) = ledger_space(&app, "s", 3, 1000).await;
    (app, space, system, accounts)
}

/// The outcome is that refusal, kept once so that a retry gets it again, and the ledger
/// still verifies.
async fn assert_refused_and_recorded(app: &TestApp, space: SpaceId, outcome: Outcome, why: Reason) {
    assert_eq!(outcome, Outcome::Rejected(why));
    assert_eq!(app.count("select count(*) from ledger_rejections").await, 1);
    assert_verified(&app.db, space).await;
}

async fn reverse(app: &TestApp, space: SpaceId, original: Uuid, why: &str, force: bool) -> Outcome {
    ledger::reverse(&app.db, space, ledger::new_id(), original, why, force, None)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_transfer_past_the_payers_limit_is_refused_for_insufficient_funds() {
    let (app, space, _, accounts) = three_members().await;
    let over = pay(space, accounts[0], accounts[1], 1001);
    let outcome = ledger::transfer(&app.db, &over).await.unwrap();
    assert_refused_and_recorded(&app, space, outcome, Reason::InsufficientFunds).await;
}

#[tokio::test]
async fn a_transfer_past_the_payees_maximum_balance_is_refused() {
    let (app, space, _, accounts) = three_members().await;
    sqlx::query("update ledger_accounts set max_balance = 500 where id = $1")
        .bind(accounts[2].0)
        .execute(&app.db)
        .await
        .unwrap();
    let too_rich = pay(space, accounts[0], accounts[2], 600);
    let outcome = ledger::transfer(&app.db, &too_rich).await.unwrap();
    assert_refused_and_recorded(&app, space, outcome, Reason::ExceedsMaxBalance).await;
}

#[tokio::test]
async fn a_transfer_to_a_closed_account_is_refused() {
    let (app, space, _, accounts) = three_members().await;
    sqlx::query("update ledger_accounts set closed = true where id = $1")
        .bind(accounts[1].0)
        .execute(&app.db)
        .await
        .unwrap();
    let to_closed = pay(space, accounts[0], accounts[1], 100);
    let outcome = ledger::transfer(&app.db, &to_closed).await.unwrap();
    assert_refused_and_recorded(&app, space, outcome, Reason::AccountClosed).await;
}

#[tokio::test]
async fn an_account_of_another_space_is_not_found_here() {
    let (app, space, _, accounts) = three_members().await;
    let (_, _, other_accounts) = ledger_space(&app, "other", 1, 1000).await;
    let across = pay(space, accounts[0], other_accounts[0], 100);
    let outcome = ledger::transfer(&app.db, &across).await.unwrap();
    assert_refused_and_recorded(&app, space, outcome, Reason::AccountNotFound).await;
}

#[tokio::test]
async fn a_transfer_of_nothing_is_refused() {
    let (app, space, _, accounts) = three_members().await;
    let nothing = pay(space, accounts[0], accounts[2], 0);
    let outcome = ledger::transfer(&app.db, &nothing).await.unwrap();
    assert_refused_and_recorded(&app, space, outcome, Reason::InvalidAmount).await;
}

#[tokio::test]
async fn posting_an_unknown_hold_is_refused() {
    let (app, space, _, _) = three_members().await;
    let outcome = ledger::post(&app.db, space, ledger::new_id(), Uuid::now_v7(), None, None)
        .await
        .unwrap();
    assert_refused_and_recorded(&app, space, outcome, Reason::HoldNotFound).await;
}

#[tokio::test]
async fn reversing_an_unknown_transfer_is_refused() {
    let (app, space, _, _) = three_members().await;
    let outcome = reverse(&app, space, Uuid::now_v7(), "why", false).await;
    assert_refused_and_recorded(&app, space, outcome, Reason::TransferNotFound).await;
}

#[tokio::test]
async fn a_post_above_its_hold_is_refused() {
    let (app, space, _, accounts) = three_members().await;
    let hold = pay(space, accounts[0], accounts[2], 300);
    ledger::hold(&app.db, &hold, Duration::from_secs(3600))
        .await
        .unwrap();
    let outcome = ledger::post(&app.db, space, ledger::new_id(), hold.id, Some(301), None)
        .await
        .unwrap();
    assert_refused_and_recorded(&app, space, outcome, Reason::PostExceedsHold).await;
}

#[tokio::test]
async fn a_hold_cannot_be_reversed() {
    let (app, space, _, accounts) = three_members().await;
    let hold = pay(space, accounts[0], accounts[2], 300);
    ledger::hold(&app.db, &hold, Duration::from_secs(3600))
        .await
        .unwrap();
    let outcome = reverse(&app, space, hold.id, "why", false).await;
    assert_refused_and_recorded(&app, space, outcome, Reason::NotReversible).await;
}

#[tokio::test]
async fn a_reversal_cannot_be_reversed() {
    let (app, space, system, accounts) = three_members().await;
    let grant = Payment {
        code: Code::Grant,
        ..pay(space, system, accounts[0], 100)
    };
    ledger::transfer(&app.db, &grant).await.unwrap();
    let reversal = ledger::new_id();
    ledger::reverse(&app.db, space, reversal, grant.id, "mistake", false, None)
        .await
        .unwrap();
    let outcome = reverse(&app, space, reversal, "undo", false).await;
    assert_refused_and_recorded(&app, space, outcome, Reason::NotReversible).await;
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
    let (app, space, _, accounts) = three_members().await;
    let payment = pay(space, accounts[0], accounts[1], 1000);
    ledger::transfer(&app.db, &payment).await.unwrap();
    // The receiver spends it all, and their whole limit, elsewhere.
    ledger::transfer(&app.db, &pay(space, accounts[1], accounts[2], 2000))
        .await
        .unwrap();
    assert_eq!(
        reverse(&app, space, payment.id, "wrong person", false).await,
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
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn a_transfer_is_reversed_at_most_once_even_with_an_override() {
    let (app, space, _, accounts) = three_members().await;
    let payment = pay(space, accounts[0], accounts[1], 1000);
    ledger::transfer(&app.db, &payment).await.unwrap();
    assert!(matches!(
        reverse(&app, space, payment.id, "wrong person", false).await,
        Outcome::Applied(_)
    ));
    assert_eq!(
        reverse(&app, space, payment.id, "again", true).await,
        Outcome::Rejected(Reason::AlreadyReversed)
    );
    assert_verified(&app.db, space).await;
}
