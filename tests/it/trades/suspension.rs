//! What happens to trades when a member is suspended, and when an admin reverses the
//! transfer that paid one.

use axum::http::StatusCode;
use swapdesk::trades::model::{Action, Resolution, TradeId, TradeState};
use swapdesk::trades::service::{self, Done, Input};
use time::OffsetDateTime;

use super::{AMOUNT, Someone, Stage, World, page_of, terms};

/// Suspends a member as the admin pages will: the status and the trades in one transaction.
async fn suspend(w: &World, who: Someone) {
    let mut tx = w.app.state.db.begin().await.unwrap();
    sqlx::query("update memberships set status = 'suspended' where id = $1")
        .bind(who.member.0)
        .execute(&mut *tx)
        .await
        .unwrap();
    service::member_suspended(&mut tx, w.space, who.member)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Cy's trades with Bea in each state a suspension stops, and one that is over.
struct CysTrades {
    proposed: TradeId,
    accepted: TradeId,
    delivered: TradeId,
    completed: TradeId,
}

async fn cys_trades(w: &World) -> CysTrades {
    w.grant(w.bea, 10_000).await;
    CysTrades {
        proposed: w.trade_in(Stage::Proposed).await,
        accepted: w.trade_in(Stage::Accepted).await,
        delivered: w.trade_in(Stage::Delivered).await,
        completed: w.trade_in(Stage::Completed).await,
    }
}

#[tokio::test]
async fn suspending_a_member_cancels_their_proposals_and_disputes_their_running_trades() {
    let w = World::new().await;
    let t = cys_trades(&w).await;
    // Bea's trade with Dan has nothing to do with Cy.
    let with_dan = w.propose(w.dan, w.bea, &terms(AMOUNT, None)).await;
    w.done(w.bea, with_dan, Action::Accept).await;
    let held_before = w.balance(w.bea).await.held();

    suspend(&w, w.cy).await;

    assert_eq!(w.trade(t.proposed).await.state, TradeState::Cancelled);
    assert_eq!(w.trade(t.accepted).await.state, TradeState::Disputed);
    assert_eq!(w.trade(t.delivered).await.state, TradeState::Disputed);
    assert_eq!(w.trade(t.completed).await.state, TradeState::Completed);
    assert_eq!(w.trade(with_dan).await.state, TradeState::Accepted);
    for trade in [t.proposed, t.accepted, t.delivered] {
        let (kind, actor, note) = w.events(trade).await.pop().unwrap();
        assert_eq!((kind.as_str(), actor), ("suspended", None), "{trade}");
        assert!(note.contains("suspended"), "{note}");
    }
    assert_eq!(
        w.last_event(t.completed).await.0,
        "completed",
        "a finished trade's timeline is left alone"
    );
    // The credits stay held until an admin resolves the trades.
    assert_eq!(w.balance(w.bea).await.held(), held_before);
    assert_eq!(held_before, 3 * AMOUNT);
    for trade in [t.accepted, t.delivered] {
        assert_eq!(w.transfers_of(trade).await, ["pending"]);
    }
    w.verified().await;
}

#[tokio::test]
async fn auto_complete_passes_over_the_trades_a_suspension_stopped() {
    let w = World::new().await;
    let t = cys_trades(&w).await;
    suspend(&w, w.cy).await;
    let long_after = OffsetDateTime::now_utc() + time::Duration::days(365);
    assert_eq!(
        service::auto_complete(&w.app.state.db, long_after)
            .await
            .unwrap(),
        0
    );
    assert_eq!(w.trade(t.delivered).await.state, TradeState::Disputed);
    assert_eq!(w.transfers_of(t.delivered).await, ["pending"]);
    assert_eq!(
        w.balance(w.cy).await.balance(),
        AMOUNT,
        "only the completed trade"
    );
}

#[tokio::test]
async fn an_admin_resolves_the_trades_a_suspension_stopped() {
    let w = World::new().await;
    let t = cys_trades(&w).await;
    suspend(&w, w.cy).await;
    for (trade, resolution) in [
        (t.accepted, Resolution::Void),
        (t.delivered, Resolution::Complete),
    ] {
        let input = Input {
            resolution: Some(resolution),
            note: "Cy has left the space".to_owned(),
            terms: None,
        };
        let done = w.act_with(w.ana, trade, Action::Resolve, &input).await;
        assert_eq!(done, Done::Done, "{resolution:?}");
        assert_eq!(w.trade(trade).await.state, TradeState::Resolved);
    }
    let bea = w.balance(w.bea).await;
    // The completed trade and the resolved one paid Cy; the voided one came back.
    assert_eq!((bea.held(), bea.balance()), (0, 10_000 - 2 * AMOUNT));
    assert_eq!(w.balance(w.cy).await.balance(), 2 * AMOUNT);
    w.verified().await;
}

#[tokio::test]
async fn reversing_the_payment_of_a_trade_puts_it_on_the_trades_timeline() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Completed).await;
    let paid_by = w.trade(trade).await.settled_id.unwrap();
    let mut ana = w.browser(w.ana).await;
    let path = format!("/s/harbour/admin/ledger/transfers/{paid_by}/reverse");
    let form = ana.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    let reason = "The logo was never used: refunded by agreement";
    let done = ana
        .post(
            &path,
            &[
                ("reason", reason),
                ("id", &swapdesk::ledger::new_id().to_string()),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        w.events(trade).await.pop().unwrap(),
        ("reversed".to_owned(), Some(w.ana.member), reason.to_owned())
    );
    assert_eq!(
        w.balance(w.bea).await.balance(),
        0,
        "Bea has her credits back"
    );
    assert_eq!(w.balance(w.cy).await.balance(), 0);
    let mut bea = w.browser(w.bea).await;
    let page = bea.get(&page_of(trade)).await;
    assert!(page.has("reversed the trade"), "{}", page.body);
    assert!(page.has(reason));
    w.verified().await;
}
