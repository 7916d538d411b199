//! Everything SPEC §3.3a does not allow is refused and changes nothing: for a trade in each
//! state, every action by each of Bea (payer), Cy (payee), Ana (an admin, no party) and Dan
//! (a member, no party) that the table does not give them, through the service.

use swapdesk::trades::model::{Action, TradeId, TradeState};
use swapdesk::trades::service::Done;
use swapdesk::web::html::Choices;

use super::table::{self, Role};
use super::{Stage, World};

/// Tries every action the table refuses on this trade, by everyone; each must be refused
/// (or, for someone who may not see the trade, not found) and change no row. Returns how
/// many were tried.
async fn refuses_everything_else(w: &World, trade: TradeId) -> usize {
    let t = w.trade(trade).await;
    let today = w.today().await;
    let overdue = t.due_on.is_some_and(|d| d < today);
    let before = w.digest().await;
    let mut tried = 0;
    for &action in Action::ALL {
        for who in [w.bea, w.cy, w.ana, w.dan] {
            let role = Role::of(
                who.member == t.payer_id,
                who.member == t.payee_id,
                who.member == t.proposer_id,
                who.admin,
            );
            if table::allowed(t.state, action, role, t.cancel_requested, overdue).is_some() {
                continue;
            }
            let done = w.act(who, trade, action).await;
            // Only its parties see a trade, and admins a disputed one.
            let sees = matches!(
                role,
                Role::ProposerPayer | Role::ProposerPayee | Role::OtherPayer | Role::OtherPayee
            ) || (role == Role::Admin && t.state == TradeState::Disputed);
            let what = format!("{} {action:?} on a {:?} trade", who.email, t.state);
            if sees {
                assert!(
                    matches!(&done, Done::Refused(why) if !why.trim().is_empty()),
                    "{what}: {done:?}"
                );
            } else {
                assert_eq!(done, Done::NotFound, "{what}");
            }
            assert_eq!(w.digest().await, before, "{what} changed something");
            tried += 1;
        }
    }
    tried
}

/// Brings a fresh trade to each stage and checks them all.
async fn check(stages: &[Stage]) -> usize {
    let w = World::new().await;
    // Enough for every hold these trades take at once.
    w.grant(w.bea, 10_000).await;
    let mut tried = 0;
    for &stage in stages {
        let trade = w.trade_in(stage).await;
        let n = refuses_everything_else(&w, trade).await;
        eprintln!(
            "{stage:?}: {n} refusals checked, of {} actions × 4 members",
            Action::ALL.len()
        );
        assert_eq!(w.trade(trade).await.state, state_of(stage));
        tried += n;
    }
    w.verified().await;
    tried
}

fn state_of(stage: Stage) -> TradeState {
    match stage {
        Stage::Proposed | Stage::ProposedByPayer => TradeState::Proposed,
        Stage::Accepted | Stage::CancelAsked | Stage::Overdue => TradeState::Accepted,
        Stage::Delivered => TradeState::Delivered,
        Stage::Completed => TradeState::Completed,
        Stage::Declined => TradeState::Declined,
        Stage::Withdrawn | Stage::WithdrewFromWork => TradeState::Cancelled,
        Stage::Disputed => TradeState::Disputed,
        Stage::Resolved => TradeState::Resolved,
    }
}

#[tokio::test]
async fn a_proposed_trade_refuses_every_other_action_and_changes_nothing() {
    // 52 tries each, less the accept, counter and decline of the one who answers and the
    // withdrawal of the one who proposed.
    assert_eq!(
        check(&[Stage::Proposed, Stage::ProposedByPayer]).await,
        2 * 48
    );
}

#[tokio::test]
async fn an_accepted_trade_refuses_every_other_action_and_changes_nothing() {
    // Deliver and withdraw from the work, and then: ask to cancel; or agree or turn down;
    // or ask to cancel and dispute.
    assert_eq!(
        check(&[Stage::Accepted, Stage::CancelAsked, Stage::Overdue]).await,
        (52 - 3) + (52 - 4) + (52 - 4)
    );
}

#[tokio::test]
async fn a_delivered_trade_refuses_every_other_action_and_changes_nothing() {
    assert_eq!(check(&[Stage::Delivered]).await, 52 - 2);
}

#[tokio::test]
async fn a_disputed_trade_refuses_every_other_action_and_changes_nothing() {
    assert_eq!(check(&[Stage::Disputed]).await, 52 - 2);
}

#[tokio::test]
async fn a_finished_trade_refuses_every_action_and_changes_nothing() {
    let finished = [
        Stage::Completed,
        Stage::Resolved,
        Stage::Declined,
        Stage::Withdrawn,
        Stage::WithdrewFromWork,
    ];
    assert_eq!(check(&finished).await, 5 * 52);
}
