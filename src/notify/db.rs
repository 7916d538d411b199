//! The email outbox.

use sqlx::PgExecutor;

use crate::spaces::model::SpaceId;

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
