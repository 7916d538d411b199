//! Two things happen to one trade at once, on two connections of the app's pool, thirty
//! rounds each: exactly one wins, and the credits move at most once.

use swapdesk::trades::model::{Action, TradeId, TradeState};
use swapdesk::trades::service::{self, Done};
use time::OffsetDateTime;

use super::{AMOUNT, Stage, World};

const ROUNDS: usize = 30;

fn won(done: &Done) -> bool {
    match done {
        Done::Done => true,
        Done::Refused(why) => {
            assert!(!why.is_empty());
            false
        }
        Done::NotFound => panic!("a party lost sight of the trade"),
    }
}

/// A delivered trade that has waited long enough to complete itself.
async fn due(w: &World) -> TradeId {
    let trade = w.trade_in(Stage::Delivered).await;
    sqlx::query("update trades set delivered_at = now() - interval '30 days' where id = $1")
        .bind(trade.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    trade
}

/// The world, with enough credit on Bea's account for every round's hold at once.
async fn world() -> World {
    let w = World::new().await;
    w.grant(w.bea, AMOUNT * ROUNDS as i64).await;
    w
}

#[tokio::test]
async fn two_accept_clicks_at_once_hold_the_credits_once() {
    let w = world().await;
    for round in 0..ROUNDS {
        let trade = w.trade_in(Stage::Proposed).await;
        let (a, b) = tokio::join!(
            w.act(w.bea, trade, Action::Accept),
            w.act(w.bea, trade, Action::Accept)
        );
        assert_eq!(
            usize::from(won(&a)) + usize::from(won(&b)),
            1,
            "round {round}: {a:?} {b:?}"
        );
        assert_eq!(w.trade(trade).await.state, TradeState::Accepted);
        assert_eq!(w.transfers_of(trade).await, ["pending"], "round {round}");
    }
    assert_eq!(w.balance(w.bea).await.held(), AMOUNT * ROUNDS as i64);
    w.verified().await;
}

#[tokio::test]
async fn confirming_while_auto_complete_runs_pays_once() {
    let w = world().await;
    let mut confirmed = 0;
    for round in 0..ROUNDS {
        let trade = due(&w).await;
        let (confirm, auto) = tokio::join!(
            w.act(w.bea, trade, Action::Confirm),
            service::auto_complete(&w.app.state.db, OffsetDateTime::now_utc())
        );
        let auto = auto.unwrap();
        assert_eq!(
            usize::from(won(&confirm)) + auto,
            1,
            "round {round}: {confirm:?}, {auto} auto-completed"
        );
        confirmed += usize::from(won(&confirm));
        assert_eq!(w.trade(trade).await.state, TradeState::Completed);
        assert_eq!(
            w.transfers_of(trade).await,
            ["pending", "post"],
            "round {round}"
        );
        let (kind, _) = w.last_event(trade).await;
        let expected = if won(&confirm) {
            "completed"
        } else {
            "auto_completed"
        };
        assert_eq!(kind, expected, "round {round}");
    }
    eprintln!("confirm won {confirmed} of {ROUNDS} rounds, auto-complete the rest");
    let cy = w.balance(w.cy).await;
    assert_eq!((cy.balance(), cy.incoming()), (AMOUNT * ROUNDS as i64, 0));
    w.verified().await;
}

#[tokio::test]
async fn disputing_while_auto_complete_runs_ends_one_way_only() {
    let w = world().await;
    let mut disputed = 0;
    for round in 0..ROUNDS {
        let trade = due(&w).await;
        let (dispute, auto) = tokio::join!(
            w.act(w.bea, trade, Action::Dispute),
            service::auto_complete(&w.app.state.db, OffsetDateTime::now_utc())
        );
        let auto = auto.unwrap();
        assert_eq!(
            usize::from(won(&dispute)) + auto,
            1,
            "round {round}: {dispute:?}, {auto} auto-completed"
        );
        if won(&dispute) {
            disputed += 1;
            assert_eq!(w.trade(trade).await.state, TradeState::Disputed);
            assert_eq!(w.transfers_of(trade).await, ["pending"], "round {round}");
        } else {
            assert_eq!(w.trade(trade).await.state, TradeState::Completed);
            assert_eq!(
                w.transfers_of(trade).await,
                ["pending", "post"],
                "round {round}"
            );
        }
    }
    eprintln!("the dispute won {disputed} of {ROUNDS} rounds, auto-complete the rest");
    let bea = w.balance(w.bea).await;
    let paid = (ROUNDS - disputed) as i64 * AMOUNT;
    assert_eq!(
        (bea.balance(), bea.held()),
        (AMOUNT * ROUNDS as i64 - paid, disputed as i64 * AMOUNT)
    );
    w.verified().await;
}

#[tokio::test]
async fn delivering_while_withdrawing_from_the_work_ends_one_way_only() {
    let w = world().await;
    let mut delivered = 0;
    for round in 0..ROUNDS {
        let trade = w.trade_in(Stage::Accepted).await;
        let (deliver, withdraw) = tokio::join!(
            w.act(w.cy, trade, Action::MarkDelivered),
            w.act(w.cy, trade, Action::WithdrawFromWork)
        );
        assert_eq!(
            usize::from(won(&deliver)) + usize::from(won(&withdraw)),
            1,
            "round {round}: {deliver:?} {withdraw:?}"
        );
        if won(&deliver) {
            delivered += 1;
            assert_eq!(w.trade(trade).await.state, TradeState::Delivered);
            assert_eq!(w.transfers_of(trade).await, ["pending"], "round {round}");
        } else {
            assert_eq!(w.trade(trade).await.state, TradeState::Cancelled);
            assert_eq!(
                w.transfers_of(trade).await,
                ["pending", "void"],
                "round {round}"
            );
        }
    }
    eprintln!("delivery won {delivered} of {ROUNDS} rounds, withdrawal the rest");
    assert_eq!(w.balance(w.bea).await.held(), delivered as i64 * AMOUNT);
    w.verified().await;
}
