//! Each id has exactly one outcome, and a retry gets that same outcome (LEDGER.md,
//! invariant 4).

use swapdesk::ledger::model::{AccountId, Code, Outcome, Reason};
use swapdesk::ledger::{self, MemberPayment, Payment};
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};

use super::{assert_verified, balance, ledger_space, pay};
use crate::helpers::TestApp;

/// Two members who may go 10.00 below zero, and a gift of 2.50 from the first to the
/// second, not sent yet.
async fn two_members_and_a_gift() -> (TestApp, SpaceId, Vec<AccountId>, Payment<'static>) {
    let app = TestApp::new().await;
    let (space, _, accounts) = ledger_space(&app, "s", 2, 1000).await;
    let gift = pay(space, accounts[0], accounts[1], 250);
    (app, space, accounts, gift)
}

async fn assert_one_transfer_of_the_gift(app: &TestApp, payee: AccountId) {
    let transfers: i64 = sqlx::query_scalar("select count(*) from ledger_transfers")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(transfers, 1);
    assert_eq!(balance(&app.db, payee).await, 250);
}

#[tokio::test]
async fn the_same_id_twice_makes_one_transfer() {
    let (app, space, accounts, gift) = two_members_and_a_gift().await;
    let first = ledger::transfer(&app.db, &gift).await.unwrap();
    let second = ledger::transfer(&app.db, &gift).await.unwrap();
    let (Outcome::Applied(a), Outcome::Duplicate(b)) = (&first, &second) else {
        panic!("expected applied then duplicate, got {first:?} and {second:?}");
    };
    assert_eq!(a, b, "a retry gets the original result");
    assert_one_transfer_of_the_gift(&app, accounts[1]).await;
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn the_same_id_with_a_different_request_is_a_conflict() {
    let (app, space, accounts, gift) = two_members_and_a_gift().await;
    ledger::transfer(&app.db, &gift).await.unwrap();
    let changed = Payment {
        amount: 300,
        ..gift.clone()
    };
    assert_eq!(
        ledger::transfer(&app.db, &changed).await.unwrap(),
        Outcome::Conflict
    );
    assert_one_transfer_of_the_gift(&app, accounts[1]).await;
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn a_refused_id_is_refused_again_even_once_funds_are_there() {
    let (app, space, accounts, gift) = two_members_and_a_gift().await;
    ledger::transfer(&app.db, &gift).await.unwrap();
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

/// Ana and Bea, active members, and a payment of 1.50 from Ana to Bea, not sent yet.
async fn ana_pays_bea() -> (TestApp, SpaceId, MemberPayment<'static>) {
    let app = TestApp::new().await;
    let space = app.space("s", SignupMode::Open).await;
    let (_, ana) = app
        .member(space, "ana@s.example", Role::Member, Status::Active)
        .await;
    let (_, bea) = app
        .member(space, "bea@s.example", Role::Member, Status::Active)
        .await;
    let payment = MemberPayment {
        id: ledger::new_id(),
        space,
        from: ana,
        to: bea,
        amount: 150,
        code: Code::Gift,
        memo: "thanks",
        by: None,
    };
    (app, space, payment)
}

async fn suspend(app: &TestApp, member: MembershipId) {
    sqlx::query("update memberships set status = 'suspended' where id = $1")
        .bind(member.0)
        .execute(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_member_payment_retried_after_a_suspension_gets_its_original_outcome() {
    let (app, space, payment) = ana_pays_bea().await;
    let Outcome::Applied(first) = ledger::pay_member(&app.db, &payment).await.unwrap() else {
        panic!("the payment should go through");
    };
    suspend(&app, payment.to).await;
    assert_eq!(
        ledger::pay_member(&app.db, &payment).await.unwrap(),
        Outcome::Duplicate(first)
    );
    assert_verified(&app.db, space).await;
}

#[tokio::test]
async fn a_new_payment_to_a_suspended_member_is_refused_and_nothing_is_recorded() {
    let (app, space, payment) = ana_pays_bea().await;
    suspend(&app, payment.to).await;
    assert_eq!(
        ledger::pay_member(&app.db, &payment).await.unwrap(),
        Outcome::Rejected(Reason::MemberNotActive)
    );
    assert_eq!(app.count("select count(*) from ledger_rejections").await, 0);
    assert_verified(&app.db, space).await;
}
