//! Ledger types: accounts, transfer codes, outcomes and refusals.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::web::html::Choices;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct AccountId(pub i64);

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Why credits moved (SPEC §4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Code {
    Trade,
    Gift,
    Grant,
    Booking,
    Refund,
    Reversal,
    Adjustment,
}

impl Choices for Code {
    const ALL: &'static [Code] = &[
        Code::Trade,
        Code::Gift,
        Code::Grant,
        Code::Booking,
        Code::Refund,
        Code::Reversal,
        Code::Adjustment,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Code::Trade => "trade",
            Code::Gift => "gift",
            Code::Grant => "grant",
            Code::Booking => "booking",
            Code::Refund => "refund",
            Code::Reversal => "reversal",
            Code::Adjustment => "adjustment",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Code::Trade => "Trade",
            Code::Gift => "Gift",
            Code::Grant => "Grant",
            Code::Booking => "Room booking",
            Code::Refund => "Refund",
            Code::Reversal => "Reversal",
            Code::Adjustment => "Adjustment",
        }
    }
}

/// What kind of ledger operation a transfer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Kind {
    Single,
    Pending,
    Post,
    Void,
    Expire,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Pending => "pending",
            Kind::Post => "post",
            Kind::Void => "void",
            Kind::Expire => "expire",
        }
    }

    /// What it did, in a statement's words.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Single => "Paid",
            Kind::Pending => "Held",
            Kind::Post => "Hold paid",
            Kind::Void => "Hold released",
            Kind::Expire => "Hold expired",
        }
    }
}

/// Why the ledger refused an operation. A retry with the same id gets the same reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    InsufficientFunds,
    ExceedsMaxBalance,
    AccountClosed,
    AccountNotFound,
    HoldNotFound,
    HoldAlreadyResolved,
    HoldExpired,
    HoldNotDue,
    PostExceedsHold,
    TransferNotFound,
    NotReversible,
    AlreadyReversed,
    SameAccount,
    MemberNotActive,
    InvalidAmount,
    Other(String),
}

impl Reason {
    pub fn parse(s: &str) -> Reason {
        match s {
            "insufficient_funds" => Reason::InsufficientFunds,
            "exceeds_max_balance" => Reason::ExceedsMaxBalance,
            "account_closed" => Reason::AccountClosed,
            "account_not_found" => Reason::AccountNotFound,
            "hold_not_found" => Reason::HoldNotFound,
            "hold_already_resolved" => Reason::HoldAlreadyResolved,
            "hold_expired" => Reason::HoldExpired,
            "hold_not_due" => Reason::HoldNotDue,
            "post_exceeds_hold" => Reason::PostExceedsHold,
            "transfer_not_found" => Reason::TransferNotFound,
            "not_reversible" => Reason::NotReversible,
            "already_reversed" => Reason::AlreadyReversed,
            "same_account" => Reason::SameAccount,
            "member_not_active" => Reason::MemberNotActive,
            "invalid_amount" => Reason::InvalidAmount,
            other => Reason::Other(other.to_owned()),
        }
    }

    /// Words for a member or admin.
    pub fn message(&self) -> &str {
        match self {
            Reason::InsufficientFunds => {
                "That is more than the account has available, credit limit included"
            }
            Reason::ExceedsMaxBalance => {
                "That would take the receiving account over its maximum balance"
            }
            Reason::AccountClosed => "One of the accounts is closed",
            Reason::AccountNotFound => "One of the accounts does not exist in this space",
            Reason::HoldNotFound => "There is no such hold",
            Reason::HoldAlreadyResolved => "That hold has already been paid or released",
            Reason::HoldExpired => "That hold has expired",
            Reason::HoldNotDue => "That hold has not expired yet",
            Reason::PostExceedsHold => "You can pay at most the amount held",
            Reason::TransferNotFound => "There is no such transfer",
            Reason::NotReversible => {
                "Only payments can be reversed, and a reversal cannot itself be reversed"
            }
            Reason::AlreadyReversed => "That transfer has already been reversed",
            Reason::SameAccount => "An account cannot pay itself",
            Reason::MemberNotActive => "Both sides must be active members of this space",
            Reason::InvalidAmount => "The amount must be above zero",
            Reason::Other(s) => s,
        }
    }
}

/// What the ledger recorded for an accepted operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub id: Uuid,
    pub amount: i64,
    pub at: OffsetDateTime,
}

/// The result of one ledger call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Applied now.
    Applied(Receipt),
    /// Applied before under this id, with the same request: the original result.
    Duplicate(Receipt),
    /// Refused, now or before under this id.
    Rejected(Reason),
    /// This id was used before for a different request.
    Conflict,
}

impl Outcome {
    /// The receipt, whether applied now or before.
    pub fn receipt(&self) -> Option<&Receipt> {
        match self {
            Outcome::Applied(r) | Outcome::Duplicate(r) => Some(r),
            _ => None,
        }
    }
}

/// What an account could spend now: its balance, less what is held, plus its credit limit.
/// The one place this is worked out; every page and check asks here.
pub fn available(balance: i64, held: i64, credit_limit: i64) -> i64 {
    balance - held + credit_limit
}

/// An account's counters and what follows from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    pub account: AccountId,
    pub credit_limit: i64,
    pub max_balance: Option<i64>,
    pub debits_pending: i64,
    pub debits_posted: i64,
    pub credits_pending: i64,
    pub credits_posted: i64,
}

impl Balance {
    pub fn balance(&self) -> i64 {
        self.credits_posted - self.debits_posted
    }

    /// What the account could spend now (see `available`).
    pub fn available(&self) -> i64 {
        available(self.balance(), self.debits_pending, self.credit_limit)
    }

    /// Credits held against this account's spending.
    pub fn held(&self) -> i64 {
        self.debits_pending
    }

    /// Credits on their way in, held from someone else's account.
    pub fn incoming(&self) -> i64 {
        self.credits_pending
    }
}
