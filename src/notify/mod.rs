//! Notifications (SPEC §7). For now: email, written to an outbox in the same transaction
//! as what caused it, then sent through SMTP by a background worker, or logged.

pub mod db;
pub mod mailer;

use askama::Template;
use sqlx::PgConnection;

use crate::spaces::model::SpaceId;

/// Renders an email template and queues it. Without SMTP the message is also logged, so a
/// developer can follow a reset or confirmation link.
pub async fn send<T: Template + EmailSubject>(
    conn: &mut PgConnection,
    space: Option<SpaceId>,
    to: &str,
    email: &T,
) -> anyhow::Result<()> {
    let body = email.render()?;
    let subject = email.subject();
    let id = db::enqueue(conn, space, to, &subject, &body).await?;
    tracing::info!(outbox_id = id, to, subject, body = %body, "email queued");
    Ok(())
}

pub trait EmailSubject {
    fn subject(&self) -> String;
}
