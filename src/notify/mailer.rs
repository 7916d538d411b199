//! Delivers the outbox through SMTP (`SMTP_URL`), retrying with back-off.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;

use crate::notify::db;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self {
            transport,
            from: from.parse()?,
        })
    }

    /// Sends whatever is due, then sleeps; runs until the process ends.
    pub async fn run(self, db: PgPool) {
        loop {
            if let Err(err) = self.send_due(&db).await {
                tracing::warn!(error = %err, "mail delivery round failed");
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    }

    /// Sends what is due now; returns how many were delivered.
    pub async fn send_due(&self, db: &PgPool) -> anyhow::Result<usize> {
        let mut sent = 0;
        for email in db::claim_due(db, 20).await? {
            // One bad message must not hold up the others: each fails on its own.
            let result = match self.message(&email) {
                Ok(message) => self
                    .transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(err) => Err(err.to_string()),
            };
            match result {
                Ok(()) => {
                    db::mark_sent(db, email.id).await?;
                    sent += 1;
                }
                Err(err) => {
                    tracing::warn!(outbox_id = email.id, error = %err, "email not sent");
                    db::mark_failed(db, email.id, email.attempts, &err).await?;
                }
            }
        }
        Ok(sent)
    }

    fn message(&self, email: &db::Email) -> anyhow::Result<Message> {
        Ok(Message::builder()
            .from(self.from.clone())
            .to(email.to_address.parse()?)
            .subject(email.subject.clone())
            .body(email.body.clone())?)
    }
}
