//! The connection pool and migrations.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use cookie::Key;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgPool};

/// The migrations in ./migrations, compiled in.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        // A ping before every checkout costs a round trip per query, so there is none while
        // all is well. Once a connection is found dead (the server restarted, and every
        // pooled connection with it), idle ones are pinged for a while and the dead dropped.
        .test_before_acquire(false)
        .before_acquire(|conn, _meta| {
            Box::pin(async move {
                if !suspect() {
                    return Ok(true);
                }
                Ok(conn.ping().await.is_ok())
            })
        })
        .connect(url)
        .await
        .context("cannot connect to PostgreSQL")
}

/// Until when (ms since the Unix epoch) pooled connections are pinged before use.
static SUSPECT_UNTIL_MS: AtomicU64 = AtomicU64::new(0);

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn suspect() -> bool {
    now_ms() < SUSPECT_UNTIL_MS.load(Ordering::Relaxed)
}

/// Whether an error means the connection, not the query, failed: the server went away or
/// is restarting. Such a request changed nothing it did not commit, and may be tried again.
pub fn connection_lost(err: &sqlx::Error) -> bool {
    let lost = match err {
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolClosed => true,
        sqlx::Error::Protocol(message) => message.contains("EOF") || message.contains("closed"),
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08: connection exception; 57P01-03: the server shut down or is starting.
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    };
    if lost {
        // Every pooled connection is suspect now: ping them for the next few seconds.
        SUSPECT_UNTIL_MS.store(now_ms() + 10_000, Ordering::Relaxed);
    }
    lost
}

/// The role whose rights the app's own connections use (least privilege): the schema
/// belongs to whoever migrates; the app's login role is, or belongs to, this one.
pub const APP_ROLE: &str = "swapdesk_app";

/// Applies pending migrations, then grants the app's role its rights. Run as the schema's
/// owner (`MIGRATE_DATABASE_URL`). sqlx holds an advisory lock meanwhile, so several
/// instances may start at once (SPEC §9.3).
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context("migrations failed")?;
    let mut tx = pool.begin().await?;
    // Concurrent GRANTs on one object fail ("tuple concurrently updated"): one at a time.
    sqlx::query!("select pg_advisory_xact_lock(7210002)")
        .execute(&mut *tx)
        .await?;
    // The role is made here when it is missing and we may; otherwise the operator makes it.
    sqlx::query(
        "do $$ begin
             if not exists (select 1 from pg_roles where rolname = 'swapdesk_app') then
                 create role swapdesk_app nologin;
             end if;
         exception when insufficient_privilege then
             raise notice 'cannot create the role swapdesk_app; a superuser may';
         end $$",
    )
    .execute(&mut *tx)
    .await
    .context("cannot make the app's role")?;
    sqlx::query!("select swapdesk_grant_app()")
        .execute(&mut *tx)
        .await
        .context("cannot grant the app's role its rights")?;
    tx.commit().await?;
    Ok(())
}

pub async fn ping(pool: &PgPool) -> sqlx::Result<()> {
    sqlx::query_scalar!("select 1 as \"one!\"")
        .fetch_one(pool)
        .await?;
    Ok(())
}

/// The key that signs cookies and links: `SECRET_KEY` when it is set, otherwise one made
/// once and kept in the database, so every instance on this database signs alike.
pub async fn instance_key(pool: &PgPool, configured: Option<&str>) -> anyhow::Result<Key> {
    if let Some(text) = configured {
        if text.len() < 32 {
            anyhow::bail!("SECRET_KEY must be at least 32 characters long");
        }
        return Ok(Key::derive_from(text.as_bytes()));
    }
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    // Whoever inserts first wins; everyone then reads the same key (in a statement of its
    // own, so it sees a key that another instance committed meanwhile).
    sqlx::query!(
        "insert into instance_secrets (name, secret) values ('signing', $1)
         on conflict (name) do nothing",
        &fresh[..]
    )
    .execute(pool)
    .await
    .context("cannot store a signing key")?;
    let stored = sqlx::query_scalar!("select secret from instance_secrets where name = 'signing'")
        .fetch_one(pool)
        .await
        .context("cannot read the signing key")?;
    if stored.len() < 32 {
        anyhow::bail!("the stored signing key is too short");
    }
    Ok(Key::derive_from(&stored))
}
