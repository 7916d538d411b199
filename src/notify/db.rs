//! The email outbox: queueing, delivery, and what its space's admins read of it.

use sqlx::PgExecutor;
use time::PrimitiveDateTime;

use crate::notify::outbox::Shown;
use crate::spaces::model::SpaceId;
use crate::web::html::Choices;

pub struct Email {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
    /// The one-click unsubscribe link (RFC 8058) a notification carries; none on account email.
    pub unsubscribe_url: Option<String>,
}

pub async fn enqueue(
    db: impl PgExecutor<'_>,
    space: Option<SpaceId>,
    to: &str,
    subject: &str,
    body: &str,
    account_email: bool,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into email_outbox (space_id, to_address, subject, body, account_email)
         values ($1, $2, $3, $4, $5) returning id",
        space as Option<SpaceId>,
        to,
        subject,
        body,
        account_email
    )
    .fetch_one(db)
    .await
}

/// Claims up to `limit` due messages for 15 minutes (longer than a batch can take);
/// `skip locked` lets several instances share the work.
pub async fn claim_due(db: impl PgExecutor<'_>, limit: i64) -> sqlx::Result<Vec<Email>> {
    sqlx::query_as!(
        Email,
        "update email_outbox set next_attempt_at = now() + interval '15 minutes',
                                 attempts = attempts + 1
         where id in (select id from email_outbox
                      where sent_at is null and next_attempt_at <= now() and attempts < 10
                      order by id limit $1 for update skip locked)
         returning id, to_address, subject, body, attempts, unsubscribe_url",
        limit
    )
    .fetch_all(db)
    .await
}

/// Records a delivery. An account email's body (its sign-in link) is not kept after it.
pub async fn mark_sent(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update email_outbox set sent_at = now(), last_error = null,
                body = case when account_email then '' else body end
         where id = $1",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records a failure; the next attempt backs off exponentially.
pub async fn mark_failed(
    db: impl PgExecutor<'_>,
    id: i64,
    attempts: i32,
    error: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update email_outbox set last_error = $2,
                next_attempt_at = now() + make_interval(mins => least(power(2, $3)::int, 720))
         where id = $1",
        id,
        error,
        f64::from(attempts)
    )
    .execute(db)
    .await?;
    Ok(())
}

/// An email as the admins' outbox lists it, created on the space's clock.
pub struct OutboxLine {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created: PrimitiveDateTime,
    pub sent: bool,
}

/// One email of the outbox, times on the space's clock. `body` is always empty for an
/// account email: its sign-in link never leaves the database for a page.
pub struct OutboxEmail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub account_email: bool,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created: PrimitiveDateTime,
    pub sent: Option<PrimitiveDateTime>,
    pub next_attempt: PrimitiveDateTime,
}

/// How many of the space's emails `shown` lists.
pub async fn outbox_count(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    shown: Shown,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from email_outbox o
           where o.space_id = $1
             and case $2::text
                   when 'queued' then o.sent_at is null and o.last_error is null and o.attempts < 10
                   when 'sent' then o.sent_at is not null
                   when 'failed' then o.sent_at is null and (o.last_error is not null or o.attempts >= 10)
                   else true end"#,
        space as SpaceId,
        shown.as_str()
    )
    .fetch_one(db)
    .await
}

/// A page of the space's emails that `shown` lists, newest first.
pub async fn outbox(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    shown: Shown,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<OutboxLine>> {
    sqlx::query_as!(
        OutboxLine,
        r#"select o.id, o.to_address, o.subject, o.attempts, o.last_error,
                  (o.created_at at time zone s.time_zone) as "created!",
                  o.sent_at is not null as "sent!"
           from email_outbox o join spaces s on s.id = o.space_id
           where o.space_id = $1
             and case $2::text
                   when 'queued' then o.sent_at is null and o.last_error is null and o.attempts < 10
                   when 'sent' then o.sent_at is not null
                   when 'failed' then o.sent_at is null and (o.last_error is not null or o.attempts >= 10)
                   else true end
           order by o.id desc
           limit $3 offset $4"#,
        space as SpaceId,
        shown.as_str(),
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

/// One of the space's emails; another space's is not found.
pub async fn outbox_email(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: i64,
) -> sqlx::Result<Option<OutboxEmail>> {
    sqlx::query_as!(
        OutboxEmail,
        r#"select o.id, o.to_address, o.subject,
                  case when o.account_email then '' else o.body end as "body!",
                  o.account_email, o.attempts, o.last_error,
                  (o.created_at at time zone s.time_zone) as "created!",
                  (o.sent_at at time zone s.time_zone) as sent,
                  (o.next_attempt_at at time zone s.time_zone) as "next_attempt!"
           from email_outbox o join spaces s on s.id = o.space_id
           where o.space_id = $1 and o.id = $2"#,
        space as SpaceId,
        id
    )
    .fetch_optional(db)
    .await
}

/// What a retry changed: the email's subject, and how many tries it had had.
pub struct Retried {
    pub subject: String,
    pub attempts: i32,
}

/// Sends a failed (or given up) email of the space back to the queue, for a try now. Its
/// last error stays until that try. None when there is no such unsent, failed email, or it
/// is an account email whose link expired undelivered (`retention`).
pub async fn retry(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: i64,
) -> sqlx::Result<Option<Retried>> {
    sqlx::query_as!(
        Retried,
        r#"update email_outbox o set attempts = 0, next_attempt_at = now()
           from (select id, attempts from email_outbox
                 where id = $2 and space_id = $1 for update) prior
           where o.id = prior.id and o.sent_at is null
             and (o.last_error is not null or o.attempts >= 10)
             -- An account email whose expired link was cleared has nothing left to send.
             and not (o.account_email and o.body = '')
           returning o.subject, prior.attempts"#,
        space as SpaceId,
        id
    )
    .fetch_optional(db)
    .await
}
