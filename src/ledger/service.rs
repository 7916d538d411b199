//! The ledger's Rust API: the only way to move credits. Trades, bookings and admin grants
//! all call these. Each call is one `ledger_apply` statement: one short transaction that
//! locks both accounts in id order, checks limits and writes the transfer and its entries.

use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::model::PersonId;
use crate::ledger::db::{self, Apply, PayMembers};
use crate::ledger::model::{AccountId, Code, Kind, Outcome};
use crate::spaces::model::{MembershipId, SpaceId};
use crate::web::html::Choices;

/// A new operation id: UUID v7, so ids sort by time. Forms carry one from the start, so a
/// double submit reuses it and pays once.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Credits moving from one account to another.
#[derive(Debug, Clone)]
pub struct Payment<'a> {
    pub id: Uuid,
    pub space: SpaceId,
    pub from: AccountId,
    pub to: AccountId,
    pub amount: i64,
    pub code: Code,
    pub memo: &'a str,
    pub by: Option<PersonId>,
}

/// What identifies a request: the same id with a different hash is a conflict.
fn request_hash(parts: &[&str]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    hasher.finalize().to_vec()
}

fn payment_args<'a>(
    p: &'a Payment<'a>,
    kind: Kind,
    timeout_secs: Option<i32>,
    at: Option<OffsetDateTime>,
) -> Apply<'a> {
    let timeout = timeout_secs.map(|t| t.to_string()).unwrap_or_default();
    Apply {
        id: p.id,
        space: p.space,
        kind,
        code: Some(p.code),
        debit: Some(p.from),
        credit: Some(p.to),
        amount: Some(p.amount),
        pending_id: None,
        reverses_id: None,
        timeout_secs,
        initiated_by: p.by,
        memo: p.memo,
        hash: request_hash(&[
            kind.as_str(),
            &p.space.0.to_string(),
            p.code.as_str(),
            &p.from.to_string(),
            &p.to.to_string(),
            &p.amount.to_string(),
            &timeout,
            p.memo,
        ]),
        override_limits: false,
        at,
    }
}

/// Moves credits at once.
pub async fn transfer(db: impl PgExecutor<'_>, p: &Payment<'_>) -> sqlx::Result<Outcome> {
    db::apply(db, &payment_args(p, Kind::Single, None, None)).await
}

/// Credits from one member to another, named by membership: both must be active in the
/// space. One round trip; otherwise exactly `transfer`.
#[derive(Debug, Clone)]
pub struct MemberPayment<'a> {
    pub id: Uuid,
    pub space: SpaceId,
    pub from: MembershipId,
    pub to: MembershipId,
    pub amount: i64,
    pub code: Code,
    pub memo: &'a str,
    pub by: Option<PersonId>,
}

/// The ledger's form of a member payment, with the hash that identifies it.
pub fn member_payment(p: &MemberPayment<'_>) -> PayMembers {
    let hash = request_hash(&[
        "member-payment",
        &p.space.0.to_string(),
        p.code.as_str(),
        &p.from.0.to_string(),
        &p.to.0.to_string(),
        &p.amount.to_string(),
        p.memo,
    ]);
    PayMembers {
        id: p.id,
        space: p.space,
        code: p.code,
        payer: p.from,
        payee: p.to,
        amount: p.amount,
        by: p.by,
        memo: p.memo.to_owned(),
        hash,
    }
}

/// Pays at once, in the caller's transaction if it has one. A standalone payment (the
/// "Send credits" form) goes through `AppState::payments` instead, which batches.
pub async fn pay_member(db: impl PgExecutor<'_>, p: &MemberPayment<'_>) -> sqlx::Result<Outcome> {
    db::pay_members(db, &member_payment(p)).await
}

/// As `transfer`, recorded at a past time. Only for seeding the demo's history.
#[doc(hidden)]
pub async fn transfer_at(
    db: impl PgExecutor<'_>,
    p: &Payment<'_>,
    at: OffsetDateTime,
) -> sqlx::Result<Outcome> {
    db::apply(db, &payment_args(p, Kind::Single, None, Some(at))).await
}

/// Holds credits: the payer cannot spend them twice, the payee cannot spend them yet. The
/// hold lapses after `timeout`, by the database clock, unless posted or voided first.
pub async fn hold(
    db: impl PgExecutor<'_>,
    p: &Payment<'_>,
    timeout: Duration,
) -> sqlx::Result<Outcome> {
    let secs = i32::try_from(timeout.as_secs()).unwrap_or(i32::MAX);
    db::apply(db, &payment_args(p, Kind::Pending, Some(secs), None)).await
}

/// Holds credits until the hold is posted or voided: it never lapses. A trade's hold lives
/// as long as its trade, and only the trade settles it; the expiry job never sees it.
pub async fn hold_until_settled(db: impl PgExecutor<'_>, p: &Payment<'_>) -> sqlx::Result<Outcome> {
    db::apply(db, &payment_args(p, Kind::Pending, None, None)).await
}

fn resolve_args<'a>(
    id: Uuid,
    space: SpaceId,
    kind: Kind,
    hold: Uuid,
    amount: Option<i64>,
    by: Option<PersonId>,
) -> Apply<'a> {
    let amount_text = amount.map(|a| a.to_string()).unwrap_or_default();
    Apply {
        id,
        space,
        kind,
        code: None,
        debit: None,
        credit: None,
        amount,
        pending_id: Some(hold),
        reverses_id: None,
        timeout_secs: None,
        initiated_by: by,
        memo: "",
        hash: request_hash(&[
            kind.as_str(),
            &space.0.to_string(),
            &hold.to_string(),
            &amount_text,
        ]),
        override_limits: false,
        at: None,
    }
}

/// Pays a hold: `amount` (at most the amount held; None for all of it) moves to the payee,
/// and the rest is released.
pub async fn post(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: Uuid,
    hold: Uuid,
    amount: Option<i64>,
    by: Option<PersonId>,
) -> sqlx::Result<Outcome> {
    db::apply(db, &resolve_args(id, space, Kind::Post, hold, amount, by)).await
}

/// Releases a hold back to the payer.
pub async fn void(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: Uuid,
    hold: Uuid,
    by: Option<PersonId>,
) -> sqlx::Result<Outcome> {
    db::apply(db, &resolve_args(id, space, Kind::Void, hold, None, by)).await
}

/// Undoes a payment with a new transfer the other way. It obeys the limits unless an
/// admin overrides them, which is recorded on the transfer.
pub async fn reverse(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: Uuid,
    original: Uuid,
    reason: &str,
    override_limits: bool,
    by: Option<PersonId>,
) -> sqlx::Result<Outcome> {
    let args = Apply {
        id,
        space,
        kind: Kind::Single,
        code: Some(Code::Reversal),
        debit: None,
        credit: None,
        amount: None,
        pending_id: None,
        reverses_id: Some(original),
        timeout_secs: None,
        initiated_by: by,
        memo: reason,
        hash: request_hash(&[
            "reversal",
            &space.0.to_string(),
            &original.to_string(),
            reason,
            if override_limits { "override" } else { "" },
        ]),
        override_limits,
        at: None,
    };
    db::apply(db, &args).await
}

/// Expires holds past their timeout. Returns how many it expired.
pub async fn expire_due(db: &PgPool, batch: i64) -> sqlx::Result<usize> {
    let mut expired = 0;
    for (hold, space) in db::due_holds(db, batch).await? {
        // The id is derived from the hold, so two instances expiring it at once agree.
        let id = Uuid::new_v5(&hold, b"expire");
        let args = resolve_args(id, space, Kind::Expire, hold, None, None);
        if matches!(db::apply(db, &args).await?, Outcome::Applied(_)) {
            expired += 1;
        }
    }
    Ok(expired)
}

/// Runs `expire_due` every few seconds until the process ends.
pub async fn expire_holds_forever(db: PgPool) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        match expire_due(&db, 200).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(holds = n, "expired holds"),
            Err(err) => tracing::warn!(error = %err, "hold expiry failed"),
        }
    }
}
