//! Trades as one transaction each (as `ledger::service`): the row is locked, the rules of
//! SPEC §3.3a decide, the ledger moves the credits and the timeline records it, together.
//! Every ledger id derives from the trade, so a repeated action never moves money twice
//! (`money`); what happens without a party acting is in `upkeep`.

use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::marketplace::db as market_db;
use crate::marketplace::model::{ListingId, ListingKind, ListingStatus};
use crate::messages;
use crate::spaces::model::{MembershipId, SpaceId, Status};
use crate::trades::db::{self, Change, Locked, NewEvent, NewTrade, Terms};
use crate::trades::model::{Action, EventKind, Resolution, TradeId, TradeState};
use crate::trades::rules::{self, Facts, Viewer};

mod kudos;
mod money;
mod upkeep;

pub use kudos::{KudosDone, leave_kudos};
pub use upkeep::{auto_complete, member_suspended, transfer_reversed};

/// Who acts on a trade.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub space: SpaceId,
    pub member: MembershipId,
    pub person: crate::auth::model::PersonId,
    pub is_admin: bool,
}

/// What an action came to. `Refused` carries the reason in words; nothing changed.
#[derive(Debug, PartialEq, Eq)]
pub enum Done {
    Done,
    Refused(String),
    /// No such trade here, or not one the actor may see.
    NotFound,
}

/// What an action brings besides itself.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// New terms, for a counter-proposal.
    pub terms: Option<Terms>,
    /// A reason or a statement.
    pub note: String,
    pub resolution: Option<Resolution>,
}

/// Proposes a trade. On a listing, its kind says who pays; otherwise `payer` does. None
/// for `listing` is a trade proposed from a profile, with free terms.
pub async fn propose(
    conn: &mut PgConnection,
    actor: Actor,
    counterparty: MembershipId,
    i_pay: bool,
    listing: Option<ListingId>,
    terms: &Terms,
) -> sqlx::Result<Result<TradeId, String>> {
    if counterparty == actor.member {
        return Ok(Err(messages::NO_TRADE_WITH_YOURSELF.to_owned()));
    }
    let (payer, payee) = match listing {
        Some(id) => {
            let Some(l) = market_db::listing(&mut *conn, actor.space, id)
                .await?
                .filter(|l| l.hidden_reason.is_none())
            else {
                return Ok(Err(messages::LISTING_GONE.to_owned()));
            };
            if l.status_at(OffsetDateTime::now_utc()) != ListingStatus::Open {
                return Ok(Err(messages::LISTING_NOT_OPEN.to_owned()));
            }
            if l.membership_id != counterparty {
                return Ok(Err(messages::LISTING_GONE.to_owned()));
            }
            match l.kind {
                ListingKind::Offer => (actor.member, l.membership_id),
                ListingKind::Request => (l.membership_id, actor.member),
            }
        }
        None if i_pay => (actor.member, counterparty),
        None => (counterparty, actor.member),
    };
    let statuses =
        crate::spaces::db::statuses_for_share(&mut *conn, actor.space, &[payer, payee]).await?;
    if statuses.len() != 2 || statuses.iter().any(|s| *s != Status::Active) {
        return Ok(Err(messages::TRADE_PARTY_NOT_ACTIVE.to_owned()));
    }
    let new = NewTrade {
        space: actor.space,
        listing,
        payer,
        payee,
        proposer: actor.member,
        terms,
    };
    let id = db::insert(conn, &new).await?;
    db::add_event(
        conn,
        &NewEvent {
            space: actor.space,
            trade: id,
            actor: Some(actor.member),
            kind: EventKind::Proposed,
            terms: Some(terms),
            note: "",
        },
    )
    .await?;
    Ok(Ok(id))
}

fn viewer(t: &Locked, actor: Actor) -> Viewer {
    Viewer::of(
        actor.member,
        actor.is_admin,
        t.payer_id,
        t.payee_id,
        t.proposer_id,
    )
}

fn facts(t: &Locked) -> Facts {
    Facts {
        state: t.state,
        cancel_requested: t.cancel_requested,
        overdue: t.overdue,
    }
}

/// Takes one action on a trade, in the caller's transaction.
pub async fn act(
    conn: &mut PgConnection,
    actor: Actor,
    trade: TradeId,
    action: Action,
    input: &Input,
) -> sqlx::Result<Done> {
    let Some(t) = db::lock(conn, actor.space, trade).await? else {
        return Ok(Done::NotFound);
    };
    let v = viewer(&t, actor);
    // A third party sees nothing; an admin sees a dispute, to resolve it.
    let may_see = v.payer || v.payee || (v.judge && t.state == TradeState::Disputed);
    if !may_see {
        return Ok(Done::NotFound);
    }
    // A suspended party stops the trade for both parties; an admin still settles it, as
    // `member_suspended` left it disputed for them to do.
    let party_inactive = t.payer_status != Status::Active || t.payee_status != Status::Active;
    if party_inactive && !v.judge {
        return Ok(Done::Refused(messages::TRADE_PARTY_NOT_ACTIVE.to_owned()));
    }
    let step = match rules::decide(facts(&t), v, action) {
        Ok(step) => step,
        Err(why) => return Ok(Done::Refused(why)),
    };
    let mut change = Change::of(&t, step.next);
    let mut event_terms = None;
    match action {
        Action::Counter => {
            let Some(terms) = &input.terms else {
                return Ok(Done::Refused(messages::COUNTER_NEEDS_TERMS.to_owned()));
            };
            change.proposer = actor.member;
            change.terms = Some(terms);
            event_terms = Some(terms);
        }
        Action::AskToCancel => change.cancel_requested = true,
        Action::AgreeToCancel | Action::RefuseToCancel => change.cancel_requested = false,
        Action::MarkDelivered => change.delivered = true,
        _ => {}
    }
    if let Err(refused) = money::apply(conn, actor, &t, step.money, input, &mut change).await? {
        return Ok(refused);
    }
    db::update(conn, actor.space, trade, &change).await?;
    let kind = event_of(action);
    record(conn, actor, trade, kind, event_terms, &input.note).await?;
    Ok(Done::Done)
}

fn event_of(action: Action) -> EventKind {
    match action {
        Action::Accept => EventKind::Accepted,
        Action::Counter => EventKind::Countered,
        Action::Decline => EventKind::Declined,
        Action::Withdraw => EventKind::Withdrawn,
        Action::MarkDelivered => EventKind::Delivered,
        Action::WithdrawFromWork => EventKind::WithdrewFromWork,
        Action::AskToCancel => EventKind::AskedToCancel,
        Action::AgreeToCancel => EventKind::CancelAgreed,
        Action::RefuseToCancel => EventKind::CancelRefused,
        Action::Dispute => EventKind::Disputed,
        Action::Confirm => EventKind::Completed,
        Action::Answer => EventKind::Answered,
        Action::Resolve => EventKind::Resolved,
    }
}

pub(super) async fn record(
    conn: &mut PgConnection,
    actor: Actor,
    trade: TradeId,
    kind: EventKind,
    terms: Option<&Terms>,
    note: &str,
) -> sqlx::Result<()> {
    db::add_event(
        conn,
        &NewEvent {
            space: actor.space,
            trade,
            actor: Some(actor.member),
            kind,
            terms,
            note,
        },
    )
    .await
}
