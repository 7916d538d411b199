//! SPEC §3.3a as a table: who may do what in which state, and what follows. Pure, so every
//! combination can be tested; the service applies what it decides.

use crate::spaces::model::MembershipId;
use crate::trades::model::{Action, TradeState};
use crate::web::html::Choices;

/// What the acting member is to the trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub payer: bool,
    pub payee: bool,
    /// Made the latest proposal.
    pub proposer: bool,
    /// An active admin of the space who is not a party (a party never judges their own
    /// dispute).
    pub judge: bool,
}

impl Viewer {
    /// `me` before a trade between `payer` and `payee` whose latest proposal is `proposer`'s.
    pub fn of(
        me: MembershipId,
        is_admin: bool,
        payer: MembershipId,
        payee: MembershipId,
        proposer: MembershipId,
    ) -> Self {
        let party = me == payer || me == payee;
        Self {
            payer: me == payer,
            payee: me == payee,
            proposer: me == proposer,
            judge: is_admin && !party,
        }
    }
}

/// What the trade looks like to the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub state: TradeState,
    pub cancel_requested: bool,
    /// The due date has passed (in the space's time zone).
    pub overdue: bool,
}

/// What the ledger does with the trade's credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Money {
    None,
    Hold,
    Post,
    Void,
    /// A resolution: post, void or pay part, as the admin chose.
    Settle,
}

/// An allowed action: the state it leads to and the money it moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub next: TradeState,
    pub money: Money,
}

/// Who must act, for the refusal's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Other,
    Proposer,
    Payer,
    Payee,
    Judge,
}

/// The row of SPEC §3.3a for this state and action: who, and what follows. None: the
/// action does not exist in this state.
fn row(f: Facts, action: Action) -> Option<(Who, Step)> {
    use Action::*;
    use TradeState::*;
    let step = |next, money| Step { next, money };
    Some(match (f.state, action) {
        (Proposed, Accept) => (Who::Other, step(Accepted, Money::Hold)),
        (Proposed, Counter) => (Who::Other, step(Proposed, Money::None)),
        (Proposed, Decline) => (Who::Other, step(Declined, Money::None)),
        (Proposed, Withdraw) => (Who::Proposer, step(Cancelled, Money::None)),
        (Accepted, MarkDelivered) => (Who::Payee, step(Delivered, Money::None)),
        (Accepted, WithdrawFromWork) => (Who::Payee, step(Cancelled, Money::Void)),
        (Accepted, AskToCancel) if !f.cancel_requested => (Who::Payer, step(Accepted, Money::None)),
        (Accepted, AgreeToCancel) if f.cancel_requested => {
            (Who::Payee, step(Cancelled, Money::Void))
        }
        (Accepted, RefuseToCancel) if f.cancel_requested => {
            (Who::Payee, step(Accepted, Money::None))
        }
        (Accepted, Dispute) if f.overdue => (Who::Payer, step(Disputed, Money::None)),
        (Delivered, Confirm) => (Who::Payer, step(Completed, Money::Post)),
        (Delivered, Dispute) => (Who::Payer, step(Disputed, Money::None)),
        (Disputed, Answer) => (Who::Payee, step(Disputed, Money::None)),
        (Disputed, Resolve) => (Who::Judge, step(Resolved, Money::Settle)),
        _ => return None,
    })
}

/// Decides an action: the step it takes, or why it is refused, in words.
pub fn decide(f: Facts, viewer: Viewer, action: Action) -> Result<Step, String> {
    let Some((who, step)) = row(f, action) else {
        return Err(not_now(f, action));
    };
    let allowed = match who {
        Who::Other => (viewer.payer || viewer.payee) && !viewer.proposer,
        Who::Proposer => viewer.proposer,
        Who::Payer => viewer.payer,
        Who::Payee => viewer.payee,
        Who::Judge => viewer.judge,
    };
    if allowed {
        Ok(step)
    } else {
        Err(format!("Only {} can {}.", who_words(who), action.label()))
    }
}

fn who_words(who: Who) -> &'static str {
    match who {
        Who::Other => "the member who received the proposal",
        Who::Proposer => "the member who made the proposal",
        Who::Payer => "the member who receives the work and pays",
        Who::Payee => "the member who does the work",
        Who::Judge => "an admin of the space who is not part of the trade",
    }
}

/// Why an action does not exist now, for a trade in this state.
fn not_now(f: Facts, action: Action) -> String {
    match (f.state, action) {
        (TradeState::Accepted, Action::Dispute) => {
            "An accepted trade can be disputed only once its due date has passed.".to_owned()
        }
        (TradeState::Accepted, Action::AskToCancel) => {
            "You have already asked to cancel; the member doing the work has yet to answer."
                .to_owned()
        }
        (TradeState::Accepted, Action::AgreeToCancel | Action::RefuseToCancel) => {
            "Nobody has asked to cancel this trade.".to_owned()
        }
        _ => format!(
            "You cannot {} now: the trade is {}.",
            action.label(),
            f.state.label().to_lowercase()
        ),
    }
}

/// The actions a viewer may take now, in the order a page offers them.
pub fn available(f: Facts, viewer: Viewer) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| decide(f, viewer, *a).is_ok())
        .collect()
}
