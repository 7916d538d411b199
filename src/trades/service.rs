//! Trades as one transaction each (as `ledger::service`): the row is locked, the rules of
//! SPEC §3.3a decide, the ledger moves the credits and the timeline records it, together.
//! Every ledger id derives from the trade, so a repeated action never moves money twice.

use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::ledger::db as ledger_db;
use crate::ledger::model::{Code, Outcome, Reason};
use crate::ledger::{self, Payment};
use crate::marketplace::db as market_db;
use crate::marketplace::model::{ListingId, ListingKind, ListingStatus};
use crate::messages;
use crate::spaces::model::{MembershipId, SpaceId, Status};
use crate::trades::db::{self, Change, Locked, NewEvent, NewTrade, Terms};
use crate::trades::model::{Action, EventKind, Resolution, TradeId, TradeState};
use crate::trades::rules::{self, Facts, Money, Viewer};

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

/// Ledger ids derive from the trade: the same step of the same trade is the same transfer.
fn ledger_id(space: SpaceId, trade: TradeId, step: &str) -> Uuid {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://swapdesk.invalid/trades");
    Uuid::new_v5(&namespace, format!("{space}:{trade}:{step}").as_bytes())
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
            let Some(l) = market_db::listing(&mut *conn, actor.space, id).await? else {
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
    let party = actor.member == t.payer_id || actor.member == t.payee_id;
    Viewer {
        payer: actor.member == t.payer_id,
        payee: actor.member == t.payee_id,
        proposer: actor.member == t.proposer_id,
        judge: actor.is_admin && !party,
    }
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
    let mut change = Change {
        state: step.next,
        proposer: t.proposer_id,
        terms: None,
        accept_attempts: t.accept_attempts,
        hold_id: t.hold_id,
        settled_id: None,
        cancel_requested: t.cancel_requested,
        delivered: false,
    };
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
    match step.money {
        Money::None => {}
        Money::Hold => {
            change.accept_attempts += 1;
            let id = ledger_id(
                actor.space,
                trade,
                &format!("hold:{}", change.accept_attempts),
            );
            match hold(conn, actor, &t, id).await? {
                Ok(()) => change.hold_id = Some(id),
                Err(reason) => {
                    // The refusal stays on record (the ledger keeps it under its id); the
                    // trade stays proposed, and the next try gets a new id.
                    let refused = Change {
                        state: t.state,
                        ..change
                    };
                    db::update(conn, actor.space, trade, &refused).await?;
                    record(conn, actor, trade, EventKind::AcceptRefused, None, &reason).await?;
                    return Ok(Done::Refused(reason));
                }
            }
        }
        Money::Post | Money::Void | Money::Settle => {
            let resolution = match (step.money, input.resolution) {
                (Money::Post, _) => Resolution::Complete,
                (Money::Void, _) => Resolution::Void,
                (_, Some(r)) => r,
                (_, None) => return Ok(Done::Refused(messages::CHOOSE_RESOLUTION.to_owned())),
            };
            match settle(conn, actor.space, trade, &t, resolution, Some(actor)).await? {
                Ok(id) => change.settled_id = Some(id),
                Err(why) => return Ok(Done::Refused(why)),
            }
        }
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

async fn record(
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

/// Holds the payer's credits for the trade. Err: why the ledger refused, in words.
async fn hold(
    conn: &mut PgConnection,
    actor: Actor,
    t: &Locked,
    id: Uuid,
) -> sqlx::Result<Result<(), String>> {
    let accounts = ledger_db::member_accounts_by_membership(
        &mut *conn,
        actor.space,
        &[t.payer_id, t.payee_id],
    )
    .await?;
    let account = |m| {
        accounts
            .iter()
            .find(|a| a.membership_id == m)
            .map(|a| a.account)
    };
    let (Some(from), Some(to)) = (account(t.payer_id), account(t.payee_id)) else {
        return Ok(Err(messages::TRADE_PARTY_NOT_ACTIVE.to_owned()));
    };
    let memo = format!("Trade #{}", t.id);
    let payment = Payment {
        id,
        space: actor.space,
        from,
        to,
        amount: t.amount,
        code: Code::Trade,
        memo: &memo,
        by: Some(actor.person),
    };
    Ok(
        match ledger::hold_until_settled(&mut *conn, &payment).await? {
            Outcome::Applied(_) | Outcome::Duplicate(_) => Ok(()),
            Outcome::Rejected(Reason::InsufficientFunds) => {
                Err(messages::payer_short_of_credit(actor.member == t.payer_id))
            }
            Outcome::Rejected(reason) => Err(reason.message().to_owned()),
            Outcome::Conflict => Err(messages::FORM_REUSED.to_owned()),
        },
    )
}

/// Posts, voids or pays part of the trade's hold, under an id that derives from the trade.
/// Err: the hold was no longer there to settle.
async fn settle(
    conn: &mut PgConnection,
    space: SpaceId,
    trade: TradeId,
    t: &Locked,
    resolution: Resolution,
    actor: Option<Actor>,
) -> sqlx::Result<Result<Uuid, String>> {
    let Some(hold) = t.hold_id else {
        return Ok(Err(messages::NOTHING_HELD.to_owned()));
    };
    let by = actor.map(|a| a.person);
    let (id, outcome) = match resolution {
        Resolution::Complete => {
            let id = ledger_id(space, trade, "post");
            (
                id,
                ledger::post(&mut *conn, space, id, hold, None, by).await?,
            )
        }
        Resolution::Part(amount) if amount > 0 && amount < t.amount => {
            let id = ledger_id(space, trade, "post");
            (
                id,
                ledger::post(&mut *conn, space, id, hold, Some(amount), by).await?,
            )
        }
        Resolution::Part(_) => return Ok(Err(messages::PART_WITHIN_HOLD.to_owned())),
        Resolution::Void => {
            let id = ledger_id(space, trade, "void");
            (id, ledger::void(&mut *conn, space, id, hold, by).await?)
        }
    };
    Ok(match outcome {
        Outcome::Applied(_) | Outcome::Duplicate(_) => Ok(id),
        Outcome::Rejected(reason) => Err(reason.message().to_owned()),
        Outcome::Conflict => Err(messages::NOTHING_HELD.to_owned()),
    })
}

/// Completes delivered trades whose payer has not answered for the space's auto-complete
/// days at `now`, neither party suspended. Each trade is locked, so another instance
/// running this at once skips it, and its post id derives from the trade, so it is paid
/// once. Returns how many completed.
pub async fn auto_complete(pool: &sqlx::PgPool, now: OffsetDateTime) -> sqlx::Result<usize> {
    let mut completed = 0;
    loop {
        let mut tx = pool.begin().await?;
        let due = db::due_for_auto_complete(&mut tx, now, 20).await?;
        if due.is_empty() {
            return Ok(completed);
        }
        for (space, trade) in &due {
            if auto_complete_one(&mut tx, *space, *trade).await? {
                completed += 1;
            }
        }
        tx.commit().await?;
    }
}

async fn auto_complete_one(
    conn: &mut PgConnection,
    space: SpaceId,
    trade: TradeId,
) -> sqlx::Result<bool> {
    let Some(t) = db::lock(conn, space, trade).await? else {
        return Ok(false);
    };
    if t.state != TradeState::Delivered {
        return Ok(false);
    }
    let Ok(settled) = settle(conn, space, trade, &t, Resolution::Complete, None).await? else {
        return Ok(false);
    };
    let change = Change {
        state: TradeState::Completed,
        proposer: t.proposer_id,
        terms: None,
        accept_attempts: t.accept_attempts,
        hold_id: t.hold_id,
        settled_id: Some(settled),
        cancel_requested: false,
        delivered: false,
    };
    db::update(conn, space, trade, &change).await?;
    system_event(conn, space, trade, EventKind::AutoCompleted, "").await?;
    Ok(true)
}

async fn system_event(
    conn: &mut PgConnection,
    space: SpaceId,
    trade: TradeId,
    kind: EventKind,
    note: &str,
) -> sqlx::Result<()> {
    db::add_event(
        conn,
        &NewEvent {
            space,
            trade,
            actor: None,
            kind,
            terms: None,
            note,
        },
    )
    .await
}

/// A member was suspended (in the caller's transaction): their proposed trades are
/// cancelled, and their accepted and delivered trades are disputed, with the credits still
/// held, for an admin to resolve.
pub async fn member_suspended(
    conn: &mut PgConnection,
    space: SpaceId,
    member: MembershipId,
) -> sqlx::Result<()> {
    for trade in db::open_trades_of(conn, space, member).await? {
        let Some(t) = db::lock(conn, space, trade).await? else {
            continue;
        };
        let next = match t.state {
            TradeState::Proposed => TradeState::Cancelled,
            TradeState::Accepted | TradeState::Delivered => TradeState::Disputed,
            _ => continue,
        };
        let change = Change {
            state: next,
            proposer: t.proposer_id,
            terms: None,
            accept_attempts: t.accept_attempts,
            hold_id: t.hold_id,
            settled_id: None,
            cancel_requested: false,
            delivered: false,
        };
        db::update(conn, space, trade, &change).await?;
        let note = if next == TradeState::Cancelled {
            messages::SUSPENDED_CANCELLED
        } else {
            messages::SUSPENDED_DISPUTED
        };
        system_event(conn, space, trade, EventKind::Suspended, note).await?;
    }
    Ok(())
}

/// An admin reversed a transfer (in the caller's transaction): if it paid a trade, the
/// trade's timeline says so.
pub async fn transfer_reversed(
    conn: &mut PgConnection,
    space: SpaceId,
    transfer: Uuid,
    admin: MembershipId,
    reason: &str,
) -> sqlx::Result<()> {
    if let Some(trade) = db::trade_settled_by(conn, space, transfer).await? {
        db::add_event(
            conn,
            &NewEvent {
                space,
                trade,
                actor: Some(admin),
                kind: EventKind::Reversed,
                terms: None,
                note: reason,
            },
        )
        .await?;
    }
    Ok(())
}

/// What leaving kudos came to.
#[derive(Debug, PartialEq, Eq)]
pub enum KudosDone {
    Left,
    /// Only after completion or resolution.
    NotYet,
    AlreadyLeft,
    NotFound,
}

/// Kudos from one party of a completed or resolved trade to the other, once.
pub async fn leave_kudos(
    conn: &mut PgConnection,
    actor: Actor,
    trade: TradeId,
    stars: i32,
    note: &str,
) -> sqlx::Result<KudosDone> {
    let Some(t) = db::lock(conn, actor.space, trade).await? else {
        return Ok(KudosDone::NotFound);
    };
    if actor.member != t.payer_id && actor.member != t.payee_id {
        return Ok(KudosDone::NotFound);
    }
    if !matches!(t.state, TradeState::Completed | TradeState::Resolved) {
        return Ok(KudosDone::NotYet);
    }
    let to = if actor.member == t.payer_id {
        t.payee_id
    } else {
        t.payer_id
    };
    Ok(
        if db::add_kudos(conn, actor.space, trade, actor.member, to, stars, note).await? {
            KudosDone::Left
        } else {
            KudosDone::AlreadyLeft
        },
    )
}
