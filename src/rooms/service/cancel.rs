//! Cancelling a booking: by its member before it starts (refunded in full before the
//! space's cutoff, not at all after), or by an admin (always refunded, and the member is
//! told). The refund's id derives from the booking, so cancelling twice refunds once.

use sqlx::{Connection, PgConnection};
use time::OffsetDateTime;

use super::{Booker, about};
use crate::ledger::db as ledger_db;
use crate::ledger::model::{Code, Outcome};
use crate::ledger::{self, Payment};
use crate::messages;
use crate::notify::inbox::{self, Notice};
use crate::notify::model::Kind;
use crate::rooms::db;
use crate::rooms::model::{BookingId, refundable};

/// What cancelling came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cancelled {
    /// Cancelled, and this much went back to the member.
    Refunded(i64),
    /// Cancelled: free, or past the cutoff.
    NotRefunded,
    AlreadyCancelled,
    /// It has started or is over: there is nothing left to cancel.
    Started,
    /// No such booking, or not the canceller's.
    NotFound,
    /// The space account could not pay the refund back; nothing changed.
    RefundRefused(String),
}

/// Cancels a booking: its member before it starts (refunded in full before the space's
/// cutoff, not at all after), or an admin (always refunded, and the member is told).
pub async fn cancel(
    conn: &mut PgConnection,
    who: Booker,
    as_admin: bool,
    id: BookingId,
    now: OffsetDateTime,
) -> sqlx::Result<Cancelled> {
    let mut tx = conn.begin().await?;
    let done = cancel_in(&mut tx, who, as_admin, id, now).await?;
    if matches!(done, Cancelled::Refunded(_) | Cancelled::NotRefunded) {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(done)
}

async fn cancel_in(
    conn: &mut PgConnection,
    who: Booker,
    as_admin: bool,
    id: BookingId,
    now: OffsetDateTime,
) -> sqlx::Result<Cancelled> {
    let space = who.space;
    let Some(row) = db::lock(&mut *conn, space, id).await? else {
        return Ok(Cancelled::NotFound);
    };
    if !as_admin && row.member != who.member {
        return Ok(Cancelled::NotFound);
    }
    if row.cancelled {
        return Ok(Cancelled::AlreadyCancelled);
    }
    if row.starts_at <= now {
        return Ok(Cancelled::Started);
    }
    let (cutoff, _) = db::rules(&mut *conn, space).await?;
    let refund = row.price > 0 && (as_admin || refundable(row.starts_at, cutoff, now));
    let about = about(conn, space, id).await?;
    let mut refund_id = None;
    if refund {
        let Some(to) = ledger_db::member_account(&mut *conn, space, row.member).await? else {
            return Ok(Cancelled::RefundRefused(messages::NO_ACCOUNT.to_owned()));
        };
        let memo = messages::refund_memo(&about);
        let payment = Payment {
            id: id.refund_id(),
            space,
            from: ledger_db::space_account(&mut *conn, space).await?,
            to,
            amount: row.price,
            code: Code::Refund,
            memo: &memo,
            by: Some(who.person),
        };
        match ledger::transfer(&mut *conn, &payment).await? {
            Outcome::Applied(_) | Outcome::Duplicate(_) => refund_id = Some(payment.id),
            Outcome::Rejected(reason) => {
                return Ok(Cancelled::RefundRefused(reason.message().to_owned()));
            }
            Outcome::Conflict => {
                return Ok(Cancelled::RefundRefused(
                    messages::FORM_OUT_OF_DATE.to_owned(),
                ));
            }
        }
    }
    db::mark_cancelled(conn, space, id, who.member, now, refund_id).await?;
    if row.member != who.member {
        let notice = Notice {
            space,
            to: &[row.member],
            admins: false,
            kind: if refund {
                Kind::BookingRefunded
            } else {
                Kind::BookingCancelled
            },
            actor: Some(who.member),
            link: "rooms/bookings".to_owned(),
            about: &about,
        };
        inbox::notify(&mut *conn, &notice).await?;
    }
    Ok(if refund {
        Cancelled::Refunded(row.price)
    } else {
        Cancelled::NotRefunded
    })
}
