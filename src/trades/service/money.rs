//! A trade's credits through the ledger: held on acceptance, then posted, voided or paid in
//! part, each under an id derived from the trade so a repeated step never moves them twice.

use sqlx::PgConnection;
use uuid::Uuid;

use super::{Actor, Done, Input, record};
use crate::ledger::db as ledger_db;
use crate::ledger::model::{Code, Outcome, Reason};
use crate::ledger::{self, Payment};
use crate::messages;
use crate::spaces::model::SpaceId;
use crate::trades::db::{self, Change, Locked};
use crate::trades::model::{EventKind, Resolution, TradeId};
use crate::trades::rules::Money;

/// Ledger ids derive from the trade: the same step of the same trade is the same transfer.
pub(super) fn ledger_id(space: SpaceId, trade: TradeId, step: &str) -> Uuid {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://swapdesk.invalid/trades");
    Uuid::new_v5(&namespace, format!("{space}:{trade}:{step}").as_bytes())
}

/// Moves the credits an action's step calls for, noting the transfer on `change`. Err:
/// the action is refused (a refused hold is recorded on the trade before it returns).
pub(super) async fn apply(
    conn: &mut PgConnection,
    actor: Actor,
    t: &Locked,
    money: Money,
    input: &Input,
    change: &mut Change<'_>,
) -> sqlx::Result<Result<(), Done>> {
    match money {
        Money::None => {}
        Money::Hold => {
            change.accept_attempts += 1;
            let id = ledger_id(
                actor.space,
                t.id,
                &format!("hold:{}", change.accept_attempts),
            );
            match hold(conn, actor, t, id).await? {
                Ok(()) => change.hold_id = Some(id),
                Err(reason) => {
                    // The refusal stays on record (the ledger keeps it under its id); the
                    // trade stays proposed, and the next try gets a new id.
                    let refused = Change {
                        state: t.state,
                        ..change.clone()
                    };
                    db::update(conn, actor.space, t.id, &refused).await?;
                    record(conn, actor, t.id, EventKind::AcceptRefused, None, &reason).await?;
                    return Ok(Err(Done::Refused(reason)));
                }
            }
        }
        Money::Post | Money::Void | Money::Settle => {
            let resolution = match (money, input.resolution) {
                (Money::Post, _) => Resolution::Complete,
                (Money::Void, _) => Resolution::Void,
                (_, Some(r)) => r,
                (_, None) => return Ok(Err(Done::Refused(messages::CHOOSE_RESOLUTION.to_owned()))),
            };
            match settle(conn, actor.space, t, resolution, Some(actor)).await? {
                Ok(id) => change.settled_id = Some(id),
                Err(why) => return Ok(Err(Done::Refused(why))),
            }
        }
    }
    Ok(Ok(()))
}

/// Holds the payer's credits for the trade. Err: why the ledger refused, in words.
pub(super) async fn hold(
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
pub(super) async fn settle(
    conn: &mut PgConnection,
    space: SpaceId,
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
            let id = ledger_id(space, t.id, "post");
            (
                id,
                ledger::post(&mut *conn, space, id, hold, None, by).await?,
            )
        }
        Resolution::Part(amount) if amount > 0 && amount < t.amount => {
            let id = ledger_id(space, t.id, "post");
            (
                id,
                ledger::post(&mut *conn, space, id, hold, Some(amount), by).await?,
            )
        }
        Resolution::Part(_) => return Ok(Err(messages::PART_WITHIN_HOLD.to_owned())),
        Resolution::Void => {
            let id = ledger_id(space, t.id, "void");
            (id, ledger::void(&mut *conn, space, id, hold, by).await?)
        }
    };
    Ok(match outcome {
        Outcome::Applied(_) | Outcome::Duplicate(_) => Ok(id),
        Outcome::Rejected(reason) => Err(reason.message().to_owned()),
        Outcome::Conflict => Err(messages::NOTHING_HELD.to_owned()),
    })
}
