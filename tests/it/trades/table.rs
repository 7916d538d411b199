//! SPEC §3.3a written out again for the tests, from the SPEC's words rather than from
//! src/trades/rules.rs, and as data rather than as a match: each row, who it is for, and
//! when it applies.

use swapdesk::trades::model::{Action, TradeState};
use swapdesk::trades::rules::{Money, Viewer};

/// Who a row is for (P, O, Payer, Payee in the SPEC's words; an admin for a dispute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The member who made the latest proposal.
    Proposer,
    /// The party who did not.
    Other,
    Payer,
    Payee,
    /// An admin of the space who is not a party.
    Admin,
}

/// When a row applies, besides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// The payer has asked to cancel, and the payee has yet to answer.
    CancelAsked,
    /// Nobody is waiting for an answer to a request to cancel.
    NoCancelAsked,
    /// The due date has passed.
    Overdue,
}

pub struct Row {
    pub state: TradeState,
    pub action: Action,
    pub who: Who,
    pub when: When,
    pub money: Money,
    pub next: TradeState,
}

const fn row(
    state: TradeState,
    action: Action,
    who: Who,
    when: When,
    money: Money,
    next: TradeState,
) -> Row {
    Row {
        state,
        action,
        who,
        when,
        money,
        next,
    }
}

/// The table, a line of the SPEC a row. Auto-completion is the system's, and kudos are not
/// an action on the trade: neither is here (see clock.rs and kudos.rs).
pub const ROWS: &[Row] = {
    use Action::*;
    use Money as M;
    use TradeState::*;
    use When::*;
    use Who::*;
    &[
        row(Proposed, Accept, Other, Always, M::Hold, Accepted),
        row(Proposed, Counter, Other, Always, M::None, Proposed),
        row(Proposed, Decline, Other, Always, M::None, Declined),
        row(Proposed, Withdraw, Proposer, Always, M::None, Cancelled),
        row(Accepted, MarkDelivered, Payee, Always, M::None, Delivered),
        row(
            Accepted,
            WithdrawFromWork,
            Payee,
            Always,
            M::Void,
            Cancelled,
        ),
        row(
            Accepted,
            AskToCancel,
            Payer,
            NoCancelAsked,
            M::None,
            Accepted,
        ),
        row(
            Accepted,
            AgreeToCancel,
            Payee,
            CancelAsked,
            M::Void,
            Cancelled,
        ),
        row(
            Accepted,
            RefuseToCancel,
            Payee,
            CancelAsked,
            M::None,
            Accepted,
        ),
        row(Accepted, Dispute, Payer, Overdue, M::None, Disputed),
        row(Delivered, Confirm, Payer, Always, M::Post, Completed),
        row(Delivered, Dispute, Payer, Always, M::None, Disputed),
        row(Disputed, Answer, Payee, Always, M::None, Disputed),
        row(Disputed, Resolve, Admin, Always, M::Settle, Resolved),
    ]
};

/// The six kinds of viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    ProposerPayer,
    ProposerPayee,
    OtherPayer,
    OtherPayee,
    /// An admin who is not a party.
    Admin,
    /// A member who is not a party.
    Third,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::ProposerPayer,
        Role::ProposerPayee,
        Role::OtherPayer,
        Role::OtherPayee,
        Role::Admin,
        Role::Third,
    ];

    /// The role of a member given what they are to the trade.
    pub fn of(payer: bool, payee: bool, proposer: bool, admin: bool) -> Role {
        match (payer, payee, proposer) {
            (true, _, true) => Role::ProposerPayer,
            (true, _, false) => Role::OtherPayer,
            (_, true, true) => Role::ProposerPayee,
            (_, true, false) => Role::OtherPayee,
            _ if admin => Role::Admin,
            _ => Role::Third,
        }
    }

    pub fn viewer(self) -> Viewer {
        let (payer, payee, proposer, judge) = match self {
            Role::ProposerPayer => (true, false, true, false),
            Role::ProposerPayee => (false, true, true, false),
            Role::OtherPayer => (true, false, false, false),
            Role::OtherPayee => (false, true, false, false),
            Role::Admin => (false, false, false, true),
            Role::Third => (false, false, false, false),
        };
        Viewer {
            payer,
            payee,
            proposer,
            judge,
        }
    }

    pub fn is(self, who: Who) -> bool {
        use Role::*;
        match who {
            Who::Proposer => matches!(self, ProposerPayer | ProposerPayee),
            Who::Other => matches!(self, OtherPayer | OtherPayee),
            Who::Payer => matches!(self, ProposerPayer | OtherPayer),
            Who::Payee => matches!(self, ProposerPayee | OtherPayee),
            Who::Admin => self == Admin,
        }
    }
}

pub fn applies(when: When, cancel_requested: bool, overdue: bool) -> bool {
    match when {
        When::Always => true,
        When::CancelAsked => cancel_requested,
        When::NoCancelAsked => !cancel_requested,
        When::Overdue => overdue,
    }
}

/// The rows for this state and action, whoever acts and whatever the facts.
pub fn rows_for(state: TradeState, action: Action) -> impl Iterator<Item = &'static Row> {
    ROWS.iter()
        .filter(move |r| r.state == state && r.action == action)
}

/// The row that lets `role` take `action` now, if the table has one.
pub fn allowed(
    state: TradeState,
    action: Action,
    role: Role,
    cancel_requested: bool,
    overdue: bool,
) -> Option<&'static Row> {
    rows_for(state, action).find(|r| applies(r.when, cancel_requested, overdue) && role.is(r.who))
}

/// Words a refusal uses to name who may act instead.
pub fn who_words(who: Who) -> &'static str {
    match who {
        Who::Proposer => "made the proposal",
        Who::Other => "received the proposal",
        Who::Payer => "pays",
        Who::Payee => "does the work",
        Who::Admin => "admin",
    }
}

/// Words a refusal uses to name a condition that does not hold.
pub fn when_words(when: When) -> &'static str {
    match when {
        When::Always => "",
        When::CancelAsked => "asked to cancel",
        When::NoCancelAsked => "already asked",
        When::Overdue => "due date",
    }
}
