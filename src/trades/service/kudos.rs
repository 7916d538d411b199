//! Kudos: once per party per finished trade, to the other party.

use sqlx::PgConnection;

use super::Actor;
use crate::notify::inbox::{self, Notice};
use crate::notify::model::Kind;
use crate::trades::db;
use crate::trades::model::{TradeId, TradeState};

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
    if !db::add_kudos(conn, actor.space, trade, actor.member, to, stars, note).await? {
        return Ok(KudosDone::AlreadyLeft);
    }
    let notice = Notice {
        space: actor.space,
        to: &[to],
        admins: false,
        kind: Kind::Kudos,
        actor: Some(actor.member),
        link: format!("members/{to}#kudos"),
        about: &t.description,
    };
    inbox::notify(&mut *conn, &notice).await?;
    Ok(KudosDone::Left)
}
