//! The disputes queue (SPEC §6.4): both sides' words and the credits held, and a dispute
//! resolved once even when two admins resolve it at the same moment.

use axum::http::StatusCode;
use swapdesk::trades::model::{Action, Resolution, TradeState};
use swapdesk::trades::service::{Done, Input};

use crate::trades::{Stage, World};

#[tokio::test]
async fn the_queue_shows_each_dispute_with_both_sides_and_what_is_held() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Delivered).await;
    let dispute = Input {
        terms: None,
        note: "The logo came in the wrong colours.".to_owned(),
        resolution: None,
    };
    assert_eq!(
        w.act_with(w.bea, trade, Action::Dispute, &dispute).await,
        Done::Done
    );
    let mut ana = w.browser(w.ana).await;
    let queue = ana.get("/s/harbour/admin/disputes").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue.has("The logo came in the wrong colours."),
        "{}",
        queue.body
    );
    assert!(queue.has("No answer yet."));
    assert!(queue.has("5.00 hours held"));
    assert!(queue.has(&format!("href=\"/s/harbour/trades/{trade}\"")));
    let answer = Input {
        terms: None,
        note: "They were the colours agreed.".to_owned(),
        resolution: None,
    };
    assert_eq!(
        w.act_with(w.cy, trade, Action::Answer, &answer).await,
        Done::Done
    );
    let queue = ana.get("/s/harbour/admin/disputes").await;
    assert!(queue.has("They were the colours agreed."));
    // Resolved, it leaves the queue.
    w.done(w.ana, trade, Action::Resolve).await;
    let queue = ana.get("/s/harbour/admin/disputes").await;
    assert!(queue.has("No disputes."));
    // Members are refused.
    let mut bea = w.browser(w.bea).await;
    let refused = bea.get("/s/harbour/admin/disputes").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn two_admins_resolving_at_once_move_the_ledger_once() {
    let w = World::new().await;
    sqlx::query("update memberships set role = 'admin' where id = $1")
        .bind(w.dan.member.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    // Enough for Bea to pay every round's trade.
    w.grant(w.bea, 8000).await;
    let mut dan_someone = w.dan;
    dan_someone.admin = true;
    for round in 0..15 {
        let trade = w.trade_in(Stage::Disputed).await;
        let complete = Input {
            terms: None,
            note: "The work was done as agreed.".to_owned(),
            resolution: Some(Resolution::Complete),
        };
        let void = Input {
            terms: None,
            note: "Nothing usable was delivered.".to_owned(),
            resolution: Some(Resolution::Void),
        };
        let (a, b) = tokio::join!(
            w.act_with(w.ana, trade, Action::Resolve, &complete),
            w.act_with(dan_someone, trade, Action::Resolve, &void),
        );
        let outcomes = [a, b];
        let wins = outcomes.iter().filter(|d| **d == Done::Done).count();
        assert_eq!(wins, 1, "round {round}: {outcomes:?}");
        assert_eq!(w.trade(trade).await.state, TradeState::Resolved);
        // The hold, and exactly one post or void of it.
        let moves = w.transfers_of(trade).await;
        assert_eq!(moves.len(), 2, "round {round}: {moves:?}");
    }
    w.verified().await;
}
