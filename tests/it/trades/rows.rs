//! Each row of SPEC §3.3a against the database, through `trades::service::act` in a
//! transaction of its own, as the handler takes it: a fresh trade brought to the row's
//! state, the action taken by the member the row names; then the next state, the timeline
//! entry, where the credits are, and every invariant of the ledger.

use swapdesk::trades::model::{Action, Resolution, TradeId, TradeState};
use swapdesk::trades::service::{Done, Input};

use super::{AMOUNT, Someone, Stage, World, input};

/// The trade is in `state`, its newest timeline entry is `event` by `by`, and the ledger
/// holds together.
async fn now_in(w: &World, trade: TradeId, state: TradeState, event: &str, by: Someone) {
    assert_eq!(w.trade(trade).await.state, state);
    assert_eq!(
        w.last_event(trade).await,
        (event.to_owned(), Some(by.member))
    );
    w.verified().await;
}

/// Bea's (balance, held) and Cy's (balance, incoming).
async fn money(w: &World) -> ((i64, i64), (i64, i64)) {
    let (bea, cy) = (w.balance(w.bea).await, w.balance(w.cy).await);
    ((bea.balance(), bea.held()), (cy.balance(), cy.incoming()))
}

const NOTHING: ((i64, i64), (i64, i64)) = ((0, 0), (0, 0));
const HELD: ((i64, i64), (i64, i64)) = ((0, AMOUNT), (0, AMOUNT));
const PAID: ((i64, i64), (i64, i64)) = ((-AMOUNT, 0), (AMOUNT, 0));

#[tokio::test]
async fn accepting_a_proposal_holds_the_amount_on_the_payers_account() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Proposed).await;
    assert_eq!(money(&w).await, NOTHING);
    w.done(w.bea, trade, Action::Accept).await;
    now_in(&w, trade, TradeState::Accepted, "accepted", w.bea).await;
    assert_eq!(money(&w).await, HELD);
    assert_eq!(w.transfers_of(trade).await, ["pending"]);
}

#[tokio::test]
async fn the_payee_accepting_the_payers_proposal_holds_the_payers_credits() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::ProposedByPayer).await;
    w.done(w.cy, trade, Action::Accept).await;
    now_in(&w, trade, TradeState::Accepted, "accepted", w.cy).await;
    assert_eq!(money(&w).await, HELD);
}

#[tokio::test]
async fn a_counter_proposal_changes_the_terms_and_passes_the_answer_to_the_other() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Proposed).await;
    w.done(w.bea, trade, Action::Counter).await;
    now_in(&w, trade, TradeState::Proposed, "countered", w.bea).await;
    let t = w.trade(trade).await;
    assert_eq!(
        (t.proposer_id, t.amount, t.description.as_str()),
        (w.bea.member, 750, "A logo and a business card")
    );
    let amount: Option<i64> = sqlx::query_scalar(
        "select amount from trade_events where trade_id = $1 and kind = 'countered'",
    )
    .bind(trade.0)
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(amount, Some(750), "the timeline keeps the new terms");
    assert_eq!(money(&w).await, NOTHING);
    // Bea made the latest proposal now: Cy answers it, and the new amount is held.
    assert!(matches!(
        w.act(w.bea, trade, Action::Accept).await,
        Done::Refused(_)
    ));
    w.done(w.cy, trade, Action::Accept).await;
    assert_eq!(money(&w).await, ((0, 750), (0, 750)));
    w.verified().await;
}

#[tokio::test]
async fn declining_a_proposal_ends_it_with_nothing_held() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Proposed).await;
    w.done(w.bea, trade, Action::Decline).await;
    now_in(&w, trade, TradeState::Declined, "declined", w.bea).await;
    assert_eq!(money(&w).await, NOTHING);
    assert!(w.transfers_of(trade).await.is_empty());
}

#[tokio::test]
async fn withdrawing_a_proposal_cancels_it_with_nothing_held() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Proposed).await;
    w.done(w.cy, trade, Action::Withdraw).await;
    now_in(&w, trade, TradeState::Cancelled, "withdrawn", w.cy).await;
    assert_eq!(money(&w).await, NOTHING);
    assert!(w.transfers_of(trade).await.is_empty());
}

#[tokio::test]
async fn marking_the_work_delivered_starts_the_wait_and_keeps_the_hold() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Accepted).await;
    assert!(w.trade(trade).await.delivered_at.is_none());
    w.done(w.cy, trade, Action::MarkDelivered).await;
    now_in(&w, trade, TradeState::Delivered, "delivered", w.cy).await;
    assert!(w.trade(trade).await.delivered_at.is_some());
    assert_eq!(money(&w).await, HELD);
}

#[tokio::test]
async fn withdrawing_from_the_work_cancels_the_trade_and_returns_the_credits() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Accepted).await;
    w.done(w.cy, trade, Action::WithdrawFromWork).await;
    now_in(&w, trade, TradeState::Cancelled, "withdrew_from_work", w.cy).await;
    assert_eq!(money(&w).await, NOTHING);
    assert_eq!(w.transfers_of(trade).await, ["pending", "void"]);
    let (_, _, note) = w.events(trade).await.pop().unwrap();
    assert_eq!(
        note, "A reason to WithdrawFromWork",
        "the reason is on the timeline"
    );
}

#[tokio::test]
async fn a_request_to_cancel_waits_for_the_payee_and_agreeing_returns_the_credits() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Accepted).await;
    w.done(w.bea, trade, Action::AskToCancel).await;
    now_in(&w, trade, TradeState::Accepted, "asked_to_cancel", w.bea).await;
    assert!(w.trade(trade).await.cancel_requested);
    assert_eq!(money(&w).await, HELD, "still held until Cy answers");
    w.done(w.cy, trade, Action::AgreeToCancel).await;
    now_in(&w, trade, TradeState::Cancelled, "cancel_agreed", w.cy).await;
    assert_eq!(money(&w).await, NOTHING);
    assert_eq!(w.transfers_of(trade).await, ["pending", "void"]);
}

#[tokio::test]
async fn a_request_to_cancel_turned_down_leaves_the_trade_running_and_held() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::CancelAsked).await;
    w.done(w.cy, trade, Action::RefuseToCancel).await;
    now_in(&w, trade, TradeState::Accepted, "cancel_refused", w.cy).await;
    assert!(!w.trade(trade).await.cancel_requested);
    assert_eq!(money(&w).await, HELD);
    // The question is answered: Bea may ask again.
    w.done(w.bea, trade, Action::AskToCancel).await;
}

#[tokio::test]
async fn an_accepted_trade_past_its_due_date_can_be_disputed_with_the_hold_kept() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Overdue).await;
    w.done(w.bea, trade, Action::Dispute).await;
    now_in(&w, trade, TradeState::Disputed, "disputed", w.bea).await;
    assert_eq!(money(&w).await, HELD);
    assert_eq!(w.transfers_of(trade).await, ["pending"]);
}

#[tokio::test]
async fn confirming_the_work_pays_the_payee_what_was_held() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Delivered).await;
    w.done(w.bea, trade, Action::Confirm).await;
    now_in(&w, trade, TradeState::Completed, "completed", w.bea).await;
    assert_eq!(money(&w).await, PAID);
    assert_eq!(w.transfers_of(trade).await, ["pending", "post"]);
}

#[tokio::test]
async fn disputing_a_delivery_keeps_the_credits_held() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Delivered).await;
    w.done(w.bea, trade, Action::Dispute).await;
    now_in(&w, trade, TradeState::Disputed, "disputed", w.bea).await;
    assert_eq!(money(&w).await, HELD);
}

#[tokio::test]
async fn the_payees_answer_to_a_dispute_leaves_it_for_an_admin() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Disputed).await;
    w.done(w.cy, trade, Action::Answer).await;
    now_in(&w, trade, TradeState::Disputed, "answered", w.cy).await;
    assert_eq!(money(&w).await, HELD);
}

async fn resolve(w: &World, resolution: Resolution) -> TradeId {
    let trade = w.trade_in(Stage::Disputed).await;
    let input = Input {
        resolution: Some(resolution),
        note: "Seen both sides".to_owned(),
        ..input(Action::Resolve)
    };
    let done = w.act_with(w.ana, trade, Action::Resolve, &input).await;
    assert_eq!(done, Done::Done);
    now_in(w, trade, TradeState::Resolved, "resolved", w.ana).await;
    trade
}

#[tokio::test]
async fn an_admin_resolving_a_dispute_in_full_pays_the_payee() {
    let w = World::new().await;
    let trade = resolve(&w, Resolution::Complete).await;
    assert_eq!(money(&w).await, PAID);
    assert_eq!(w.transfers_of(trade).await, ["pending", "post"]);
}

#[tokio::test]
async fn an_admin_voiding_a_dispute_gives_the_payer_everything_back() {
    let w = World::new().await;
    let trade = resolve(&w, Resolution::Void).await;
    assert_eq!(money(&w).await, NOTHING);
    assert_eq!(w.transfers_of(trade).await, ["pending", "void"]);
}

#[tokio::test]
async fn an_admin_paying_part_gives_the_payee_the_part_and_the_payer_the_rest() {
    let w = World::new().await;
    let trade = resolve(&w, Resolution::Part(200)).await;
    assert_eq!(money(&w).await, ((-200, 0), (200, 0)));
    assert_eq!(w.transfers_of(trade).await, ["pending", "post"]);
}
