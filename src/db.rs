//! The connection pool and migrations.

use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

/// The migrations in ./migrations, compiled in.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        // A ping before every checkout costs a round trip per query. A connection that died
        // with the server fails its next query instead, and the pool replaces it.
        .test_before_acquire(false)
        .connect(url)
        .await
        .context("cannot connect to PostgreSQL")
}

/// Applies pending migrations. sqlx holds an advisory lock meanwhile, so several
/// instances may start at once (SPEC §9.3).
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context("migrations failed")?;
    Ok(())
}

pub async fn ping(pool: &PgPool) -> sqlx::Result<()> {
    sqlx::query_scalar!("select 1 as \"one!\"")
        .fetch_one(pool)
        .await?;
    Ok(())
}
