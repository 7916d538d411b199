//! Rate limits with back-off on sign-in, join and reset (SPEC §8.5), per account and per
//! address. State lives in Postgres so every app instance sees the same counts.

use sqlx::PgPool;

use crate::auth::db;
use crate::web::error::{AppError, AppResult};

/// How much of something is allowed before back-off starts.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub allowance: i32,
    pub window_secs: i64,
    pub base_secs: i64,
    pub cap_secs: i64,
}

/// Sign-in attempts, counted before the password is checked and refunded when it is right:
/// five per account at one address, twenty per account from everywhere, fifty per address
/// across accounts, in 15 minutes. Past an allowance the attempt waits 30 s, doubling per
/// further failure, up to 15 minutes: slowed, never shut.
#[derive(Debug, Clone, Copy)]
pub struct SignInRule {
    pub pair_allowance: i32,
    pub account_allowance: i32,
    pub address_allowance: i32,
    pub window_secs: i64,
    pub base_secs: i64,
    pub cap_secs: i64,
}

pub const SIGNIN: SignInRule = SignInRule {
    pair_allowance: 5,
    account_allowance: 20,
    address_allowance: 50,
    window_secs: 900,
    base_secs: 30,
    cap_secs: 900,
};

/// Join and reset requests naming one email address.
pub const MAIL_ACCOUNT: Rule = Rule {
    allowance: 3,
    window_secs: 3600,
    base_secs: 300,
    cap_secs: 3600,
};
/// Join and reset requests from one address (a whole space may join on its opening day).
pub const MAIL_ADDRESS: Rule = Rule {
    allowance: 30,
    window_secs: 3600,
    base_secs: 60,
    cap_secs: 3600,
};

pub fn key(action: &str, scope: &str, who: &str) -> String {
    format!("{action}:{scope}:{}", who.to_lowercase())
}

/// The three keys one sign-in attempt counts against.
#[derive(Debug, Clone)]
pub struct SignInKeys {
    pair: String,
    account: String,
    address: String,
}

impl SignInKeys {
    /// `address` is `ClientIp::key()`: an IPv4 address, or an IPv6 /64.
    pub fn new(email: &str, address: &str) -> Self {
        Self {
            pair: key("signin", "pair", &format!("{email}|{address}")),
            account: key("signin", "account", email),
            address: key("signin", "addr", address),
        }
    }
}

/// An attempt that may go ahead, already counted.
#[derive(Debug)]
pub struct Attempt {
    /// True when this attempt used up one of its allowances: a slowdown starts now.
    pub slows_down: bool,
}

/// Counts a sign-in attempt before its password is checked, or refuses it with 429 and
/// how long to wait. `known_device`: this browser signed in to this account before, so a
/// busy address (a whole co-working space behind one) does not hold it back.
pub async fn signin_attempt(
    db: &PgPool,
    keys: &SignInKeys,
    known_device: bool,
) -> AppResult<Attempt> {
    let rule = SIGNIN;
    let counted = db::signin_attempt(
        db,
        [&keys.pair, &keys.account, &keys.address],
        known_device,
        [
            rule.pair_allowance,
            rule.account_allowance,
            rule.address_allowance,
        ],
        (rule.window_secs, rule.base_secs, rule.cap_secs),
    )
    .await?;
    if counted.wait_secs > 0 {
        return Err(AppError::TooManyRequests {
            retry_after_secs: counted.wait_secs as u64,
        });
    }
    Ok(Attempt {
        slows_down: counted.pair_hits == rule.pair_allowance
            || counted.account_hits == rule.account_allowance
            || counted.address_hits == rule.address_allowance,
    })
}

/// The password was never checked (the hashing queue was full): the attempt is refunded.
pub async fn signin_not_checked(db: &PgPool, keys: &SignInKeys) -> AppResult<()> {
    db::throttle_refund(db, &[&keys.pair, &keys.account, &keys.address], "").await?;
    Ok(())
}

/// A correct password: the attempt is refunded, so success never uses up an allowance, and
/// this address's failures on this account are forgotten.
pub async fn signin_succeeded(db: &PgPool, keys: &SignInKeys) -> AppResult<()> {
    db::throttle_refund(db, &[&keys.account, &keys.address], &keys.pair).await?;
    Ok(())
}

/// Refuses with 429 if any of the keys is blocked now.
pub async fn ensure_open(db: &PgPool, keys: &[&str]) -> AppResult<()> {
    for key in keys {
        if let Some(secs) = db::throttle_blocked_for(db, key).await? {
            return Err(AppError::TooManyRequests {
                retry_after_secs: secs.max(1) as u64,
            });
        }
    }
    Ok(())
}

/// Counts one hit on a key. Returns the block, in seconds, that this hit caused, if any.
pub async fn hit(db: &PgPool, key: &str, rule: Rule) -> AppResult<Option<u64>> {
    let blocked = db::throttle_hit(
        db,
        key,
        rule.allowance,
        rule.window_secs,
        rule.base_secs,
        rule.cap_secs,
    )
    .await?;
    Ok(blocked.map(|s| s.max(1) as u64))
}

/// Counts a hit on each key and refuses with 429 if that takes any past its allowance.
pub async fn charge(db: &PgPool, hits: &[(&str, Rule)]) -> AppResult<()> {
    ensure_open(db, &hits.iter().map(|(k, _)| *k).collect::<Vec<_>>()).await?;
    let mut worst = None;
    for (key, rule) in hits {
        if let Some(secs) = hit(db, key, *rule).await? {
            worst = Some(worst.map_or(secs, |w: u64| w.max(secs)));
        }
    }
    match worst {
        Some(secs) => Err(AppError::TooManyRequests {
            retry_after_secs: secs,
        }),
        None => Ok(()),
    }
}

/// Counts a request that mails a link (join, reset) against the address it names and the
/// address it comes from, and refuses with 429 past either allowance.
pub async fn charge_mail(db: &PgPool, action: &str, email: &str, from: &str) -> AppResult<()> {
    charge(
        db,
        &[
            (&key(action, "account", email), MAIL_ACCOUNT),
            (&key(action, "addr", from), MAIL_ADDRESS),
        ],
    )
    .await
}
