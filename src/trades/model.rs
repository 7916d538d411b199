//! Trades (SPEC §3.2–3.5): their states, the actions of SPEC §3.3a, their timeline's events.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::marketplace::model::ListingId;
use crate::spaces::model::MembershipId;
use crate::web::html::Choices;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct TradeId(pub i64);

impl std::fmt::Display for TradeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum TradeState {
    Proposed,
    Accepted,
    Delivered,
    Completed,
    Declined,
    Cancelled,
    Disputed,
    Resolved,
}

impl Choices for TradeState {
    const ALL: &'static [TradeState] = &[
        TradeState::Proposed,
        TradeState::Accepted,
        TradeState::Delivered,
        TradeState::Disputed,
        TradeState::Completed,
        TradeState::Resolved,
        TradeState::Declined,
        TradeState::Cancelled,
    ];

    fn as_str(self) -> &'static str {
        match self {
            TradeState::Proposed => "proposed",
            TradeState::Accepted => "accepted",
            TradeState::Delivered => "delivered",
            TradeState::Completed => "completed",
            TradeState::Declined => "declined",
            TradeState::Cancelled => "cancelled",
            TradeState::Disputed => "disputed",
            TradeState::Resolved => "resolved",
        }
    }

    fn label(self) -> &'static str {
        match self {
            TradeState::Proposed => "Proposed",
            TradeState::Accepted => "Accepted",
            TradeState::Delivered => "Delivered",
            TradeState::Completed => "Completed",
            TradeState::Declined => "Declined",
            TradeState::Cancelled => "Cancelled",
            TradeState::Disputed => "Disputed",
            TradeState::Resolved => "Resolved",
        }
    }
}

impl TradeState {
    /// Whether nothing more can happen to the trade (but kudos).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TradeState::Completed
                | TradeState::Resolved
                | TradeState::Declined
                | TradeState::Cancelled
        )
    }
}

/// What a member (or an admin, for a dispute) can do to a trade (SPEC §3.3a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Accept,
    Counter,
    Decline,
    Withdraw,
    MarkDelivered,
    WithdrawFromWork,
    AskToCancel,
    AgreeToCancel,
    RefuseToCancel,
    Dispute,
    Confirm,
    Answer,
    Resolve,
}

impl Choices for Action {
    const ALL: &'static [Action] = &[
        Action::Accept,
        Action::Counter,
        Action::Decline,
        Action::Withdraw,
        Action::MarkDelivered,
        Action::WithdrawFromWork,
        Action::AskToCancel,
        Action::AgreeToCancel,
        Action::RefuseToCancel,
        Action::Dispute,
        Action::Confirm,
        Action::Answer,
        Action::Resolve,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Counter => "counter",
            Action::Decline => "decline",
            Action::Withdraw => "withdraw",
            Action::MarkDelivered => "deliver",
            Action::WithdrawFromWork => "withdraw-from-work",
            Action::AskToCancel => "ask-to-cancel",
            Action::AgreeToCancel => "agree-to-cancel",
            Action::RefuseToCancel => "refuse-to-cancel",
            Action::Dispute => "dispute",
            Action::Confirm => "confirm",
            Action::Answer => "answer",
            Action::Resolve => "resolve",
        }
    }

    /// What the action does, as a refusal names it: "accept this trade".
    fn label(self) -> &'static str {
        match self {
            Action::Accept => "accept the proposal",
            Action::Counter => "propose other terms",
            Action::Decline => "decline the proposal",
            Action::Withdraw => "withdraw the proposal",
            Action::MarkDelivered => "mark the work delivered",
            Action::WithdrawFromWork => "withdraw from the work",
            Action::AskToCancel => "ask to cancel",
            Action::AgreeToCancel => "agree to cancel",
            Action::RefuseToCancel => "turn down the request to cancel",
            Action::Dispute => "open a dispute",
            Action::Confirm => "confirm the work and pay",
            Action::Answer => "answer the dispute",
            Action::Resolve => "resolve the dispute",
        }
    }
}

/// How an admin settles a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Pay the payee everything held.
    Complete,
    /// Give everything held back to the payer.
    Void,
    /// Pay the payee this much (hundredths), and give the rest back.
    Part(i64),
}

/// What a timeline entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum EventKind {
    Proposed,
    Countered,
    Accepted,
    AcceptRefused,
    Declined,
    Withdrawn,
    Delivered,
    WithdrewFromWork,
    AskedToCancel,
    CancelAgreed,
    CancelRefused,
    Disputed,
    Answered,
    Resolved,
    Completed,
    AutoCompleted,
    Reversed,
    Suspended,
}

impl EventKind {
    /// The name stored in `trade_events.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Proposed => "proposed",
            EventKind::Countered => "countered",
            EventKind::Accepted => "accepted",
            EventKind::AcceptRefused => "accept_refused",
            EventKind::Declined => "declined",
            EventKind::Withdrawn => "withdrawn",
            EventKind::Delivered => "delivered",
            EventKind::WithdrewFromWork => "withdrew_from_work",
            EventKind::AskedToCancel => "asked_to_cancel",
            EventKind::CancelAgreed => "cancel_agreed",
            EventKind::CancelRefused => "cancel_refused",
            EventKind::Disputed => "disputed",
            EventKind::Answered => "answered",
            EventKind::Resolved => "resolved",
            EventKind::Completed => "completed",
            EventKind::AutoCompleted => "auto_completed",
            EventKind::Reversed => "reversed",
            EventKind::Suspended => "suspended",
        }
    }

    /// The timeline's words for the event, after the actor's name.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Proposed => "proposed the trade",
            EventKind::Countered => "proposed other terms",
            EventKind::Accepted => "accepted; the credits are held",
            EventKind::AcceptRefused => "tried to accept, but the credits could not be held",
            EventKind::Declined => "declined",
            EventKind::Withdrawn => "withdrew the proposal",
            EventKind::Delivered => "marked the work delivered",
            EventKind::WithdrewFromWork => "withdrew from the work; the credits went back",
            EventKind::AskedToCancel => "asked to cancel",
            EventKind::CancelAgreed => "agreed to cancel; the credits went back",
            EventKind::CancelRefused => "turned down the request to cancel",
            EventKind::Disputed => "opened a dispute",
            EventKind::Answered => "answered the dispute",
            EventKind::Resolved => "resolved the dispute",
            EventKind::Completed => "confirmed the work; the credits were paid",
            EventKind::AutoCompleted => "completed the trade after the waiting days",
            EventKind::Reversed => "reversed the trade's payment",
            EventKind::Suspended => "stopped the trade: a member was suspended",
        }
    }
}

/// A trade as its page needs it.
#[derive(Debug, Clone)]
pub struct Trade {
    pub id: TradeId,
    pub listing_id: Option<ListingId>,
    pub listing_title: Option<String>,
    pub payer_id: MembershipId,
    pub payer_name: String,
    pub payee_id: MembershipId,
    pub payee_name: String,
    pub proposer_id: MembershipId,
    pub state: TradeState,
    pub description: String,
    pub amount: i64,
    pub due_on: Option<Date>,
    pub hold_id: Option<Uuid>,
    pub settled_id: Option<Uuid>,
    pub cancel_requested: bool,
    pub delivered_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// The due date has passed, in the space's time zone.
    pub overdue: bool,
    /// The member it was read for (`db::trade`'s viewer) has left kudos on it.
    pub kudos_left: bool,
    /// Why an admin hid the viewer's kudos note on this trade, if they did.
    pub kudos_hidden_reason: Option<String>,
}

impl Trade {
    pub fn is_party(&self, m: MembershipId) -> bool {
        m == self.payer_id || m == self.payee_id
    }

    /// The other party of `m`.
    pub fn other(&self, m: MembershipId) -> MembershipId {
        if m == self.payer_id {
            self.payee_id
        } else {
            self.payer_id
        }
    }
}

/// One entry of a trade's timeline.
#[derive(Debug, Clone)]
pub struct Event {
    pub actor_name: Option<String>,
    pub kind: EventKind,
    pub amount: Option<i64>,
    pub description: Option<String>,
    pub due_on: Option<Date>,
    pub note: String,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub author_id: MembershipId,
    pub author_name: String,
    pub body: String,
    pub created_at: OffsetDateTime,
}

/// A trade in a member's list.
#[derive(Debug, Clone)]
pub struct TradeRow {
    pub id: TradeId,
    pub state: TradeState,
    pub description: String,
    pub amount: i64,
    pub payer_id: MembershipId,
    pub payee_id: MembershipId,
    pub proposer_id: MembershipId,
    pub other_name: String,
    pub cancel_requested: bool,
    pub updated_at: OffsetDateTime,
}

/// Kudos as a profile shows them.
#[derive(Debug, Clone)]
pub struct Kudos {
    pub id: i64,
    pub from_id: MembershipId,
    pub from_name: String,
    pub stars: i32,
    pub note: String,
    pub created_at: OffsetDateTime,
}
