//! Queries for the space's settings. Every query names its space.

use sqlx::PgExecutor;

use crate::spaces::model::{SignupMode, SpaceId};

/// The settings an admin edits on the settings page.
#[derive(Debug, Clone)]
pub struct Settings {
    pub name: String,
    pub signup_mode: SignupMode,
    pub time_zone: String,
    /// Days a delivered trade waits for the payer before it completes itself.
    pub auto_complete_days: i32,
    /// Shown on the front page to visitors, while anyone may join or apply.
    pub listed: bool,
    /// Cancelling a room booking at least this many hours ahead refunds it in full.
    pub cancel_cutoff_hours: i32,
}

pub async fn update_settings(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    s: &Settings,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update spaces set name = $2, signup_mode = $3, time_zone = $4, auto_complete_days = $5,
                           listed = $6, cancel_cutoff_hours = $7
         where id = $1",
        space as SpaceId,
        s.name,
        s.signup_mode as SignupMode,
        s.time_zone,
        s.auto_complete_days,
        s.listed,
        s.cancel_cutoff_hours
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn settings(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<Settings> {
    sqlx::query_as!(
        Settings,
        r#"select name, signup_mode as "signup_mode: SignupMode", time_zone, auto_complete_days,
                  listed, cancel_cutoff_hours
           from spaces where id = $1"#,
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
