//! Page structs for trades: proposing one, its page, and "My trades".

use askama::Template;

use crate::ledger::money::{format_amount, format_number};
use crate::marketplace::model::ListingId;
use crate::spaces::model::MembershipId;
use crate::trades::model::{
    Action, Event, EventKind, Kudos, Message, Trade, TradeId, TradeRow, TradeState,
};
use crate::web::form::Errors;
use crate::web::html::{Choice, Choices, Layout, when};

/// The propose form, as typed.
#[derive(Debug, Clone, Default)]
pub struct TermsInput {
    pub description: String,
    pub amount: String,
    pub due_on: String,
}

impl TermsInput {
    /// The trade's terms as they stand, to start a counter-proposal from.
    pub fn of(t: &Trade) -> Self {
        Self {
            description: t.description.clone(),
            amount: format_number(t.amount),
            due_on: t.due_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "trades/propose.html")]
pub struct ProposePage {
    pub layout: Layout,
    pub slug: String,
    /// The member the trade is proposed to.
    pub with_id: MembershipId,
    pub with_name: String,
    /// On a listing: its id, title and who pays; from a profile: None, and a choice.
    pub listing: Option<(ListingId, String)>,
    pub listing_says: String,
    pub directions: Vec<Choice>,
    pub input: TermsInput,
    pub amount_hint: String,
    pub errors: Errors,
}

/// One entry of the timeline, in words.
pub struct EventView {
    pub who: String,
    pub what: &'static str,
    pub terms: String,
    pub note: String,
    pub when: String,
}

impl EventView {
    pub fn new(e: &Event, currency: &str) -> Self {
        let terms = match (&e.description, e.amount) {
            (Some(d), Some(a)) => {
                let due = e.due_on.map(|d| format!(", due {d}")).unwrap_or_default();
                format!("“{d}” for {}{due}", format_amount(a, currency))
            }
            _ => String::new(),
        };
        Self {
            who: match (&e.actor_name, e.kind) {
                (Some(name), _) => name.clone(),
                (None, EventKind::AutoCompleted | EventKind::Suspended) => "Swapdesk".to_owned(),
                (None, EventKind::Reversed) => "An admin".to_owned(),
                (None, _) => "Someone".to_owned(),
            },
            what: e.kind.label(),
            terms,
            note: e.note.clone(),
            when: when(e.created_at),
        }
    }
}

pub struct MessageView {
    pub id: i64,
    pub author: String,
    pub mine: bool,
    pub lines: Vec<String>,
    pub when: String,
}

impl MessageView {
    pub fn new(m: &Message, me: MembershipId) -> Self {
        Self {
            id: m.id,
            author: m.author_name.clone(),
            mine: m.author_id == me,
            lines: m.body.lines().map(str::to_owned).collect(),
            when: when(m.created_at),
        }
    }
}

/// An action the viewer may take now, with the fields it asks for.
pub struct ActionView {
    pub value: &'static str,
    pub button: &'static str,
    /// Asks for a reason or a statement.
    pub note_label: &'static str,
    pub counter: bool,
    pub resolve: bool,
    pub warning: bool,
}

impl ActionView {
    pub fn new(action: Action) -> Self {
        use Action::*;
        let (button, note_label, warning) = match action {
            Accept => ("Accept and hold the credits", "", false),
            Counter => ("Propose these terms instead", "", false),
            Decline => ("Decline the proposal", "", true),
            Withdraw => ("Withdraw my proposal", "", true),
            MarkDelivered => ("Mark the work delivered", "", false),
            WithdrawFromWork => (
                "Withdraw from the work and return the credits",
                "Why you withdraw",
                true,
            ),
            AskToCancel => ("Ask to cancel", "Why you ask to cancel", true),
            AgreeToCancel => ("Agree to cancel and return the credits", "", true),
            RefuseToCancel => ("Carry on with the trade", "", false),
            Dispute => ("Open a dispute", "What went wrong", true),
            Confirm => ("Confirm the work and pay", "", false),
            Answer => ("Answer the dispute", "Your side of it", false),
            Resolve => ("Resolve the dispute", "The reason for your decision", false),
        };
        Self {
            value: action.as_str(),
            button,
            note_label,
            counter: action == Counter,
            resolve: action == Resolve,
            warning,
        }
    }
}

#[derive(Template)]
#[template(path = "trades/trade.html")]
pub struct TradePage {
    pub layout: Layout,
    pub slug: String,
    pub id: TradeId,
    pub description: String,
    pub listing: Option<(ListingId, String)>,
    pub payer: String,
    pub payee: String,
    pub amount: String,
    pub due: String,
    pub state: &'static str,
    pub state_class: &'static str,
    /// Held, paid or returned, in words.
    pub money: String,
    pub cancel_requested: bool,
    pub events: Vec<EventView>,
    pub messages: Vec<MessageView>,
    pub is_party: bool,
    pub actions: Vec<ActionView>,
    pub may_leave_kudos: bool,
    pub kudos_left: bool,
    pub kudos_hidden_reason: String,
    pub input: TermsInput,
    pub note: String,
    pub message: String,
    pub amount_hint: String,
    pub part_hint: String,
    pub errors: Errors,
}

/// A trade in "My trades".
pub struct TradeLine {
    pub id: TradeId,
    pub description: String,
    pub other: String,
    pub amount: String,
    pub role: &'static str,
    pub needs_me: bool,
}

/// One state's trades.
pub struct TradeGroup {
    pub state: &'static str,
    pub trades: Vec<TradeLine>,
}

#[derive(Template)]
#[template(path = "trades/list.html")]
pub struct TradesPage {
    pub layout: Layout,
    pub slug: String,
    pub waiting: Vec<TradeLine>,
    pub groups: Vec<TradeGroup>,
    pub total: usize,
}

/// Whether a trade waits for `me` to act: what §3.3a asks of them next.
pub fn needs(t: &TradeRow, me: MembershipId) -> bool {
    let payer = t.payer_id == me;
    match t.state {
        TradeState::Proposed => t.proposer_id != me,
        TradeState::Accepted => !payer,
        TradeState::Delivered => payer,
        TradeState::Disputed => !payer,
        _ => false,
    }
}

pub fn line(t: &TradeRow, me: MembershipId, currency: &str) -> TradeLine {
    TradeLine {
        id: t.id,
        description: t.description.clone(),
        other: t.other_name.clone(),
        amount: format_amount(t.amount, currency),
        role: if t.payer_id == me {
            "You receive and pay"
        } else {
            "You do the work"
        },
        needs_me: needs(t, me),
    }
}

/// Kudos as profiles and the dashboard list them.
pub struct KudosLine {
    pub id: i64,
    pub from_id: i64,
    pub from: String,
    pub stars: i32,
    pub note: String,
    pub when: String,
}

impl From<Kudos> for KudosLine {
    fn from(k: Kudos) -> Self {
        Self {
            id: k.id,
            from_id: k.from_id.0,
            from: k.from_name,
            stars: k.stars,
            note: k.note,
            when: when(k.created_at),
        }
    }
}
