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

/// Sign-in attempts on one account: five, then 30 s, 60 s, 120 s … up to 15 minutes.
pub const SIGNIN_ACCOUNT: Rule = Rule {
    allowance: 5,
    window_secs: 900,
    base_secs: 30,
    cap_secs: 900,
};
/// Failed sign-ins from one address, across accounts (a co-working space is one address).
pub const SIGNIN_ADDRESS: Rule = Rule {
    allowance: 50,
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

pub async fn clear(db: &PgPool, key: &str) -> AppResult<()> {
    db::throttle_clear(db, key).await?;
    Ok(())
}
