//! The overview's figures, kept for a few minutes. Computing them reads every transfer of
//! the period (a year of a busy space is 100,000 and more), so each period an admin opens is
//! computed once and kept in `overview_snapshots`; while admins keep opening it, the
//! background job computes it again every few minutes, so the page itself only reads.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;

use super::db::{self, Bucket, Pair, Spot, Standout, Trader, Week};
use super::network;
use crate::spaces::model::SpaceId;

/// How old kept figures may be when a page shows them.
pub const KEEP_SECS: i64 = 300;
/// The background job computes again what is older than this (and was opened lately).
const REFRESH_AFTER_SECS: i64 = 240;
/// Hot spots and standouts shown of each kind; balance bands.
pub const TOP_SPOTS: usize = 8;
const TOP_STANDOUTS: i64 = 12;
const BANDS: i32 = 10;

/// Everything the page draws, as the database counted it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figures {
    pub series: Vec<Week>,
    pub categories: Vec<Spot>,
    pub skills: Vec<Spot>,
    pub buckets: Vec<Bucket>,
    pub standouts: Vec<Standout>,
    pub traders: Vec<Trader>,
    pub pairs: Vec<Pair>,
    #[serde(with = "time::serde::rfc3339")]
    pub computed_at: OffsetDateTime,
}

/// Counts the figures of the last `weeks` weeks now: the aggregate queries run side by side.
pub async fn compute(pool: &PgPool, space: SpaceId, weeks: i32) -> sqlx::Result<Figures> {
    let computed_at = OffsetDateTime::now_utc();
    let (series, categories, skills, buckets, standouts, traders) = tokio::try_join!(
        db::weeks(pool, space, weeks),
        db::categories(pool, space, weeks),
        db::skills(pool, space, weeks, TOP_SPOTS as i64),
        db::balance_buckets(pool, space, BANDS),
        db::standouts(pool, space, TOP_STANDOUTS),
        db::traders(pool, space, weeks, network::TOP_TRADERS),
    )?;
    let drawn: Vec<_> = traders.iter().map(|t| t.membership_id).collect();
    let pairs = db::pairs(pool, space, weeks, &drawn, network::TOP_PAIRS).await?;
    Ok(Figures {
        series,
        categories,
        skills,
        buckets,
        standouts,
        traders,
        pairs,
        computed_at,
    })
}

/// The figures of the last `weeks` weeks, kept ones if fresh enough, otherwise computed now
/// and kept.
pub async fn figures(pool: &PgPool, space: SpaceId, weeks: i32) -> sqlx::Result<Figures> {
    let kept = sqlx::query_scalar!(
        r#"update overview_snapshots set viewed_at = now()
           where space_id = $1 and weeks = $2
             and computed_at > now() - make_interval(secs => $3)
           returning figures"#,
        space as SpaceId,
        weeks,
        KEEP_SECS as f64
    )
    .fetch_optional(pool)
    .await?;
    if let Some(figures) = kept.and_then(|json| serde_json::from_value(json).ok()) {
        return Ok(figures);
    }
    let figures = compute(pool, space, weeks).await?;
    keep(pool, space, weeks, &figures).await?;
    Ok(figures)
}

async fn keep(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    weeks: i32,
    figures: &Figures,
) -> sqlx::Result<()> {
    let json = serde_json::to_value(figures).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query!(
        "insert into overview_snapshots (space_id, weeks, computed_at, figures)
         values ($1, $2, $3, $4)
         on conflict (space_id, weeks) do update
             set computed_at = excluded.computed_at, figures = excluded.figures,
                 viewed_at = now()",
        space as SpaceId,
        weeks,
        figures.computed_at,
        json
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Computes again the kept figures that admins opened in the last day and that are getting
/// old, and forgets those nobody opened for a day; returns how many were computed.
pub async fn refresh(pool: &PgPool) -> sqlx::Result<usize> {
    sqlx::query!("delete from overview_snapshots where viewed_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    let due = sqlx::query!(
        r#"select space_id as "space: SpaceId", weeks from overview_snapshots
           where computed_at < now() - make_interval(secs => $1)
             and viewed_at > now() - interval '1 day'
           order by computed_at"#,
        REFRESH_AFTER_SECS as f64
    )
    .fetch_all(pool)
    .await?;
    for d in &due {
        let figures = compute(pool, d.space, d.weeks).await?;
        keep(pool, d.space, d.weeks, &figures).await?;
    }
    Ok(due.len())
}

/// Runs `refresh` every minute, for as long as the app runs.
pub async fn refresh_forever(pool: PgPool) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        match refresh(&pool).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(periods = n, "overview figures computed again"),
            Err(err) => tracing::warn!(error = %err, "overview refresh failed"),
        }
    }
}
