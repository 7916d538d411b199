//! Delivers the outbox through SMTP (`SMTP_URL`), retrying with back-off.

use std::time::Duration;

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, SinglePart};
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
        let mut message = Message::builder()
            .from(self.from.clone())
            .to(email.to_address.parse()?)
            .subject(email.subject.clone());
        if let Some(url) = &email.unsubscribe_url {
            // The error names no part of the link: it holds the member's token.
            let link = ListUnsubscribe::new(url)
                .map_err(|err| anyhow::anyhow!("unsubscribe link: {err}"))?;
            message = message.header(link).header(OneClickUnsubscribe);
        }
        // Declared text/plain; charset=utf-8, so names and subjects beyond ASCII survive.
        Ok(message.singlepart(SinglePart::plain(email.body.clone()))?)
    }
}

/// `List-Unsubscribe` (RFC 2369) with the one link that RFC 8058 lets a mail client POST to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListUnsubscribe(String);

impl ListUnsubscribe {
    /// An absolute http(s) link that the header carries verbatim: printable ASCII without
    /// spaces or angle brackets, so lettre neither folds nor encodes it, and short enough
    /// for one header line (RFC 5322 allows 998 characters).
    fn new(url: &str) -> Result<Self, &'static str> {
        let web = ["https://", "http://"].iter().any(|scheme| {
            url.get(..scheme.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
        });
        let plain = url
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>');
        if web && plain && url.len() <= 900 {
            Ok(Self(url.to_owned()))
        } else {
            Err("not a plain http(s) URL")
        }
    }
}

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let url = s
            .trim()
            .strip_prefix('<')
            .and_then(|rest| rest.strip_suffix('>'))
            .ok_or("expected <URL>")?;
        Ok(Self::new(url)?)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post` (RFC 8058): a POST of this body to the link above unsubscribes
/// at once, with no page to confirm on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OneClickUnsubscribe;

const ONE_CLICK: &str = "List-Unsubscribe=One-Click";

impl Header for OneClickUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        if s.trim() == ONE_CLICK {
            Ok(Self)
        } else {
            Err(format!("expected {ONE_CLICK}").into())
        }
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), ONE_CLICK.to_owned())
    }
}
