//! What notifications keep, and for how long (SPEC §7): an email's text a week after it
//! went, an account email's link no longer than it could work, a read notification half a
//! year. The background loop calls these; each is one statement, so several instances may
//! run them at once. `now` is a parameter so tests control the clock.

use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;

use crate::admin::import::service::LINK_DAYS;
use crate::auth::model::TokenPurpose;

/// Clears the text of emails delivered more than 7 days before `now`; returns how many.
/// Subject, recipient and times stay, so the outbox still says what went to whom.
pub async fn clear_delivered_bodies(
    db: impl PgExecutor<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "update email_outbox set body = ''
         where sent_at < $1::timestamptz - interval '7 days' and body <> ''",
        now
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// The longest any link in an account email stays valid: a confirmation's, an address
/// change's and a reset's (`TokenPurpose::ttl_secs`), or a mailed invitation's.
pub fn longest_link_secs() -> i64 {
    TokenPurpose::ALL
        .iter()
        .map(|p| p.ttl_secs())
        .fold(LINK_DAYS * 24 * 3600, i64::max)
}

/// Clears the text of account emails still undelivered once the links they carry have all
/// expired (no SMTP, or the mailer gave up), and stops trying them: a live link is never
/// kept for good, and a dead one is not worth sending. Returns how many.
pub async fn clear_undelivered_account_bodies(
    db: impl PgExecutor<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "update email_outbox
            set body = '', attempts = greatest(attempts, 10),
                last_error = coalesce(last_error || '; ', '')
                             || 'its link expired before it was delivered'
          where account_email and sent_at is null and body <> ''
            and created_at < $1::timestamptz - make_interval(secs => $2)",
        now,
        longest_link_secs() as f64
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes notifications read more than 180 days before `now`; unread ones stay, however
/// old. Returns how many went. The unread counters count only unread ones, so they hold.
pub async fn prune_read_notifications(
    db: impl PgExecutor<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "delete from notifications where read_at < $1::timestamptz - interval '180 days'",
        now
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// All of the above, as the background loop runs them: what they did is logged, and a
/// failure is logged and tried again next time.
pub async fn tidy(db: &PgPool, now: OffsetDateTime) {
    match clear_delivered_bodies(db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(emails = n, "delivered email texts cleared"),
        Err(err) => tracing::warn!(error = %err, "clearing delivered email texts failed"),
    }
    match clear_undelivered_account_bodies(db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            emails = n,
            "expired links of undelivered account emails cleared"
        ),
        Err(err) => tracing::warn!(error = %err, "clearing undelivered account emails failed"),
    }
    match prune_read_notifications(db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(notifications = n, "old read notifications removed"),
        Err(err) => tracing::warn!(error = %err, "removing old read notifications failed"),
    }
}
