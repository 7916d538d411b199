//! Identifiers and account types.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct PersonId(pub i64);

impl std::fmt::Display for PersonId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The signed-in person, as loaded with the session on every request.
#[derive(Debug, Clone)]
pub struct SessionPerson {
    pub id: PersonId,
    pub display_name: String,
    pub email: String,
}

/// What a mailed one-time token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    PasswordReset,
    VerifyEmail,
    /// Confirms a new address for an account; the token carries the address.
    ChangeEmail,
}

impl TokenPurpose {
    /// Every purpose.
    pub const ALL: [TokenPurpose; 3] = [
        TokenPurpose::PasswordReset,
        TokenPurpose::VerifyEmail,
        TokenPurpose::ChangeEmail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::PasswordReset => "password_reset",
            TokenPurpose::VerifyEmail => "verify_email",
            TokenPurpose::ChangeEmail => "change_email",
        }
    }

    /// How long a mailed link stays valid, in seconds.
    pub fn ttl_secs(self) -> i64 {
        match self {
            TokenPurpose::PasswordReset => 3600,
            TokenPurpose::VerifyEmail => 3 * 24 * 3600,
            TokenPurpose::ChangeEmail => 24 * 3600,
        }
    }
}

/// What sign-in needs to know about an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub id: PersonId,
    pub email: String,
    pub display_name: String,
    /// None until the owner of the address has chosen a password.
    pub password_hash: Option<String>,
    pub verified: bool,
}
