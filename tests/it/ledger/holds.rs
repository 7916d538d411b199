//! Holds: they count at once, post up to what they hold, lapse by the database clock, and
//! resolve at most once (LEDGER.md, invariant 6).

use std::time::Duration;

use swapdesk::ledger;
use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::{Outcome, Reason};

use super::{assert_verified, balance, ledger_space, pay, pool_of};
use crate::helpers::TestApp;

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
