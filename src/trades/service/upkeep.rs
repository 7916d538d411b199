//! What happens to trades without a party acting: auto-completion after the waiting days, a
//! party's suspension, and an admin's reversal of the payment.

use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::money::settle;
use crate::messages;
use crate::spaces::model::{MembershipId, SpaceId};
use crate::trades::db::{self, Change, NewEvent};
use crate::trades::model::{EventKind, Resolution, TradeId, TradeState};

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
    let Ok(settled) = settle(conn, space, &t, Resolution::Complete, None).await? else {
        return Ok(false);
    };
    let change = Change {
        settled_id: Some(settled),
        cancel_requested: false,
        ..Change::of(&t, TradeState::Completed)
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
            cancel_requested: false,
            ..Change::of(&t, next)
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
