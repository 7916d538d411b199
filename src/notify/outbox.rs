//! The outbox as its space's admins read it (SPEC §7): where each email stands, and the
//! filter of the list. Which emails are due is `db::claim_due`'s business.

use crate::messages;
use crate::web::html::Choices;

/// How many tries the mailer makes before it gives up on an email (`db::claim_due`).
pub const MAX_ATTEMPTS: i32 = 10;

/// Where an email stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Waiting for its first try, or being tried.
    Queued,
    Sent,
    /// A try failed; the mailer tries again later.
    Failed,
    /// Every try failed: the mailer tries no more, unless an admin asks it to.
    GaveUp,
}

impl Delivery {
    /// From the outbox row: a failed email has an error and no `sent_at`.
    pub fn of(sent: bool, attempts: i32, failed: bool) -> Self {
        if sent {
            Delivery::Sent
        } else if attempts >= MAX_ATTEMPTS {
            Delivery::GaveUp
        } else if failed {
            Delivery::Failed
        } else {
            Delivery::Queued
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::Queued => "Queued",
            Delivery::Sent => "Sent",
            Delivery::Failed => "Failed",
            Delivery::GaveUp => "Gave up",
        }
    }

    /// A name for the page's styles: `state-sent`.
    pub fn css(self) -> &'static str {
        match self {
            Delivery::Queued => "state-queued",
            Delivery::Sent => "state-sent",
            Delivery::Failed => "state-failed",
            Delivery::GaveUp => "state-gave-up",
        }
    }

    /// Whether an admin may send it back to the queue for a try now.
    pub fn retryable(self) -> bool {
        matches!(self, Delivery::Failed | Delivery::GaveUp)
    }
}

/// Which emails the outbox lists (`?status=`); `Failed` includes those given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    All,
    Queued,
    Sent,
    Failed,
}

impl Choices for Shown {
    const ALL: &'static [Self] = &[Shown::All, Shown::Queued, Shown::Sent, Shown::Failed];
    const CHOOSE: &'static str = messages::CHOOSE_OUTBOX_STATUS;

    fn as_str(self) -> &'static str {
        match self {
            Shown::All => "all",
            Shown::Queued => "queued",
            Shown::Sent => "sent",
            Shown::Failed => "failed",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Shown::All => "All emails",
            Shown::Queued => "Queued",
            Shown::Sent => "Sent",
            Shown::Failed => "Failed or given up",
        }
    }
}
