//! Password hashing (argon2id, OWASP's parameters) and the password policy (SPEC §8.1).

use std::sync::LazyLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::messages;
use crate::web::error::AppError;
use crate::web::gate::{Busy, CpuGate};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

/// OWASP's argon2id recommendation: 19 MiB of memory, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash to verify against when no account matched, so that the answer takes as long
/// either way and reveals nothing (no user enumeration).
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    argon2()
        .hash_password(b"no account has this password")
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Why a hash was not computed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every hashing slot stayed busy for as long as a request may wait.
    #[error("password hashing is busy")]
    Busy,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<HashError> for AppError {
    fn from(err: HashError) -> Self {
        match err {
            HashError::Busy => AppError::Unavailable {
                retry_after_secs: 2,
            },
            HashError::Failed(err) => AppError::Internal(err),
        }
    }
}

/// Hashes a new password: argon2 is deliberately slow.
pub async fn hash(gate: &CpuGate, password: &str) -> Result<String, HashError> {
    let password = password.to_owned();
    let hashed = gate
        .run(move || {
            argon2()
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("argon2 failed: {e}"))
        })
        .await
        .map_err(|Busy| HashError::Busy)?;
    Ok(hashed?)
}

/// Checks a password against a stored hash, in constant time. With no hash (no such
/// account, or no password chosen yet) it still does the same work, and answers false.
pub async fn verify(
    gate: &CpuGate,
    password: &str,
    stored: Option<&str>,
) -> Result<bool, HashError> {
    let password = password.to_owned();
    let (stored, real) = match stored {
        Some(h) => (h.to_owned(), true),
        None => (DUMMY_HASH.clone(), false),
    };
    let checked = gate
        .run(move || {
            let parsed =
                PasswordHash::new(&stored).map_err(|e| anyhow::anyhow!("bad hash: {e}"))?;
            let ok = argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok(ok && real)
        })
        .await
        .map_err(|Busy| HashError::Busy)?;
    Ok(checked?)
}

const COMMON: &str = include_str!("common_passwords.txt");

static COMMON_SET: LazyLock<std::collections::HashSet<&'static str>> = LazyLock::new(|| {
    COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Why a new password is refused, if it is.
pub fn policy_problem(password: &str, email: &str, name: &str) -> Option<&'static str> {
    let len = password.chars().count();
    if len == 0 {
        return Some(messages::ENTER_PASSWORD);
    }
    if len < MIN_LEN {
        return Some(messages::PASSWORD_TOO_SHORT);
    }
    if len > MAX_LEN {
        return Some(messages::PASSWORD_TOO_LONG);
    }
    let lower = password.to_lowercase();
    if is_common(&lower) {
        return Some(messages::PASSWORD_COMMON);
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    let name = name.to_lowercase().replace(' ', "");
    if (local.chars().count() >= 4 && lower.contains(&local))
        || (name.chars().count() >= 4 && lower.replace(' ', "").contains(&name))
    {
        return Some(messages::PASSWORD_LIKE_ACCOUNT);
    }
    None
}

/// In the list, or the list's entry with digits and symbols added, or one repeated
/// character or keyboard run.
fn is_common(lower: &str) -> bool {
    if COMMON_SET.contains(lower) {
        return true;
    }
    // A listed word dressed up with a few digits or symbols ("Password1234!").
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    if COMMON_SET.contains(letters.as_str()) && lower.chars().count() <= letters.chars().count() + 6
    {
        return true;
    }
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    if distinct.len() <= 3 {
        return true;
    }
    const RUNS: [&str; 4] = [
        "01234567890123456789",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
        "qwertyuiopasdfghjklzxcvbnmqwertyuiop",
        "98765432109876543210",
    ];
    RUNS.iter().any(|run| run.contains(lower))
}
