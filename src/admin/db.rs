//! Queries for the space's settings. Every query names its space.

use sqlx::PgExecutor;

use crate::spaces::model::{SignupMode, SpaceId};

pub async fn update_settings(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    name: &str,
    mode: SignupMode,
    time_zone: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update spaces set name = $2, signup_mode = $3, time_zone = $4 where id = $1",
        space as SpaceId,
        name,
        mode as SignupMode,
        time_zone
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn time_zone(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<String> {
    sqlx::query_scalar!(
        "select time_zone from spaces where id = $1",
        space as SpaceId
    )
    .fetch_one(db)
    .await
}

/// Whether PostgreSQL knows the zone by this name.
pub async fn is_time_zone(db: impl PgExecutor<'_>, name: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from pg_timezone_names where name = $1) as "known!""#,
        name
    )
    .fetch_one(db)
    .await
}
