//! Password hashing (argon2id, OWASP's parameters) and the password policy (SPEC §8.1).

use std::sync::{LazyLock, Mutex};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use subtle::ConstantTimeEq;

use crate::messages;
use crate::web::error::AppError;
use crate::web::gate::{Busy, CpuGate};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

/// OWASP's argon2id recommendation: 19 MiB of memory, 2 passes, 1 lane.
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).unwrap_or_default()
}

/// A hash to verify against when no account matched, so that the answer takes as long
/// either way and reveals nothing (no user enumeration).
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_blocking("no account has this password")
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// argon2's working memory, kept for the next hash instead of freed. Freed 19 MiB blocks
/// make glibc raise its mmap threshold and then keep them in per-thread heaps: a burst of
/// sign-ins grew the process by hundreds of megabytes. With the buffers reused, memory
/// stays at one buffer per hash in flight (the `CpuGate` bounds those).
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
/// Buffers kept beyond this are freed: as many as the gate ever lets run at once.
const KEPT_BUFFERS: usize = crate::web::gate::MAX_SLOTS;

/// Runs argon2 over `password` and `salt` into `out`, in reused memory.
fn compute(
    argon: &Argon2<'_>,
    params: &Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> anyhow::Result<()> {
    let count = params.block_count();
    let reused = MEMORY
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .pop()
        .filter(|blocks| blocks.len() == count);
    let mut blocks = reused.unwrap_or_else(|| vec![Block::new(); count]);
    let result = argon.hash_password_into_with_memory(password, salt, out, &mut blocks);
    let mut kept = MEMORY.lock().unwrap_or_else(|p| p.into_inner());
    if kept.len() < KEPT_BUFFERS {
        kept.push(blocks);
    }
    result.map_err(|e| anyhow::anyhow!("argon2 failed: {e}"))
}

/// A new PHC string for `password`, with a fresh salt.
fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let params = params();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(&argon, &params, password.as_bytes(), &salt, &mut out)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("params: {e}"))?,
        salt: Some(Salt::new(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("output: {e}"))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `stored`, compared in constant time.
fn verify_blocking(password: &str, stored: &str) -> anyhow::Result<bool> {
    let parsed = PasswordHash::new(stored).map_err(|e| anyhow::anyhow!("bad hash: {e}"))?;
    let params = Params::try_from(&parsed).map_err(|e| anyhow::anyhow!("bad params: {e}"))?;
    let algorithm = Algorithm::try_from(parsed.algorithm.as_str())
        .map_err(|e| anyhow::anyhow!("bad algorithm: {e}"))?;
    let version = match parsed.version {
        Some(v) => Version::try_from(v).map_err(|e| anyhow::anyhow!("bad version: {e}"))?,
        None => Version::default(),
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        anyhow::bail!("the stored hash has no salt or output");
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    compute(
        &argon,
        &params,
        password.as_bytes(),
        salt.as_ref(),
        &mut out,
    )?;
    Ok(bool::from(out.ct_eq(expected.as_bytes())))
}

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
        .run(move || hash_blocking(&password))
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
    let stored = stored.map(str::to_owned);
    // The dummy hash is made on first use: inside the gate, like every other hash.
    let checked = gate
        .run(move || match stored {
            Some(stored) => verify_blocking(&password, &stored),
            None => verify_blocking(&password, &DUMMY_HASH).map(|_| false),
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
