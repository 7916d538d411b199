//! An admin's actions, each one transaction with its audit record: a grant, a reversal or
//! an email's retry and its record stand or fall together (STYLE.md).

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::audit::Actor;
use crate::ledger::model::{Code, Outcome};
use crate::ledger::money::format_number;
use crate::ledger::{self, Payment, db as ledger_db};
use crate::notify::db as notify_db;
use crate::notify::inbox;
use crate::notify::model::Kind;
use crate::spaces::model::MembershipId;

/// Credits from the space account to an active member.
pub struct Grant<'a> {
    pub id: Uuid,
    pub to: MembershipId,
    pub amount: i64,
    pub memo: &'a str,
}

/// What a grant came to. `NoSuchMember`: not an active member of this space.
pub enum Granted {
    Ledger(Outcome),
    NoSuchMember,
}

pub async fn grant(conn: &mut PgConnection, actor: Actor, g: &Grant<'_>) -> sqlx::Result<Granted> {
    let Some(recipient) = ledger_db::member_account_by_membership(&mut *conn, actor.space, g.to)
        .await?
        .filter(|m| m.status == crate::spaces::model::Status::Active)
    else {
        return Ok(Granted::NoSuchMember);
    };
    let payment = Payment {
        id: g.id,
        space: actor.space,
        from: ledger_db::space_account(&mut *conn, actor.space).await?,
        to: recipient.account,
        amount: g.amount,
        code: Code::Grant,
        memo: g.memo,
        by: Some(actor.person),
    };
    let outcome = ledger::transfer(&mut *conn, &payment).await?;
    if let Outcome::Applied(_) = outcome {
        inbox::credited(&mut *conn, actor.space, g.id, Kind::CreditsGrant).await?;
        let detail = json!({
            "to": recipient.display_name,
            "amount": format_number(g.amount),
            "memo": g.memo,
        });
        actor
            .record(conn, "ledger.grant", &format!("transfer:{}", g.id), detail)
            .await?;
    }
    Ok(Granted::Ledger(outcome))
}

/// Undoes a transfer with a new one the other way, for a reason; `force` takes the debtor
/// past their limit (recorded on the transfer). If it paid a trade, the trade's timeline
/// says so, in the same transaction; `admin` is the admin's membership, for that entry.
pub async fn reverse(
    conn: &mut PgConnection,
    actor: Actor,
    admin: MembershipId,
    id: Uuid,
    original: Uuid,
    reason: &str,
    force: bool,
) -> sqlx::Result<Outcome> {
    let outcome = ledger::reverse(
        &mut *conn,
        actor.space,
        id,
        original,
        reason,
        force,
        Some(actor.person),
    )
    .await?;
    if let Outcome::Applied(_) = outcome {
        crate::trades::service::transfer_reversed(&mut *conn, actor.space, original, admin, reason)
            .await?;
        inbox::credited(&mut *conn, actor.space, id, Kind::CreditsReversal).await?;
        let detail = json!({ "reversal": id, "reason": reason, "override_limits": force });
        actor
            .record(
                conn,
                "ledger.reversal",
                &format!("transfer:{original}"),
                detail,
            )
            .await?;
    }
    Ok(outcome)
}

/// What asking for an email's retry came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Retry {
    /// Back in the queue, to be tried now.
    Queued,
    /// The email has not failed, or was sent meanwhile.
    NothingToRetry,
    /// No such email in this space.
    NoSuchEmail,
}

/// Sends a failed (or given up) email of the actor's space back to the queue for a try now.
pub async fn retry_email(conn: &mut PgConnection, actor: Actor, id: i64) -> sqlx::Result<Retry> {
    let Some(retried) = notify_db::retry(&mut *conn, actor.space, id).await? else {
        let found = notify_db::outbox_email(&mut *conn, actor.space, id).await?;
        return Ok(match found {
            Some(_) => Retry::NothingToRetry,
            None => Retry::NoSuchEmail,
        });
    };
    let detail = json!({ "subject": retried.subject, "attempts": retried.attempts });
    actor
        .record(conn, "email.retried", &format!("email:{id}"), detail)
        .await?;
    Ok(Retry::Queued)
}
