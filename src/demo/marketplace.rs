//! The demo's marketplace: about sixty offers and requests across the eight categories,
//! posted over the last weeks, a few with an expiry date, a few paused or closed. A listing
//! an earlier run made (the same member, the same title) is left as it is.

use anyhow::Context;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

use super::db::{self as demo_db, DemoMember};
use super::market_data::{LISTINGS, ListingSeed, Price};
use crate::marketplace::db::{self as market_db, ListingFields};
use crate::marketplace::model::{ListingStatus, PriceMode};
use crate::skills::db as skills_db;
use crate::skills::model::Category;
use crate::spaces::db as spaces_db;
use crate::spaces::model::SpaceId;

/// Posts every listing that is not there yet.
pub(super) async fn seed(pool: &PgPool, space: SpaceId) -> anyhow::Result<()> {
    let members = demo_db::members(pool, space).await?;
    let categories = skills_db::categories(pool, space).await?;
    let today = spaces_db::today(pool, space).await?;
    let now = OffsetDateTime::now_utc();
    for (i, l) in LISTINGS.iter().enumerate() {
        let owner = super::member(&members, l.owner)?;
        if demo_db::listing_by_title(pool, space, owner.membership, l.title)
            .await?
            .is_some()
        {
            continue;
        }
        let fields = fields(l, &categories, today)?;
        // Spread the posting times over the day, so "newest" has an order to show.
        let posted = now - Duration::days(l.age_days) - Duration::minutes((i as i64 * 97) % 600);
        post(pool, space, owner, &fields, l.status, posted)
            .await
            .with_context(|| format!("demo listing \"{}\"", l.title))?;
    }
    Ok(())
}

fn fields(
    l: &ListingSeed,
    categories: &[Category],
    today: time::Date,
) -> anyhow::Result<ListingFields> {
    let category = categories
        .iter()
        .find(|c| c.name == l.category)
        .map(|c| c.id)
        .with_context(|| format!("the demo has no category {}", l.category))?;
    let (price_mode, price, hours_estimate) = match l.price {
        Price::Fixed(price) => (PriceMode::Fixed, price, None),
        Price::Hourly(price, hours) => (PriceMode::Hourly, price, Some(hours)),
    };
    Ok(ListingFields {
        kind: l.kind,
        title: l.title.to_owned(),
        description: l.description.to_owned(),
        category,
        price_mode,
        price,
        hours_estimate,
        expires_on: l.expires_in_days.map(|d| today + Duration::days(d)),
    })
}

/// One listing, its status and its posting date, together.
async fn post(
    pool: &PgPool,
    space: SpaceId,
    owner: &DemoMember,
    fields: &ListingFields,
    status: ListingStatus,
    posted: OffsetDateTime,
) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    let id = market_db::create(&mut *tx, space, owner.membership, fields)
        .await?
        .context("its category is not offered")?;
    if status != ListingStatus::Open {
        market_db::set_status(&mut *tx, space, owner.membership, id, status).await?;
    }
    demo_db::date_listing(&mut *tx, space, id, posted).await?;
    tx.commit().await?;
    Ok(())
}

/// How many days ago a member's listing was posted, for the trades on it.
pub(super) fn age_of(owner: &str, title: &str) -> Option<i64> {
    LISTINGS
        .iter()
        .find(|l| l.owner == owner && l.title == title)
        .map(|l| l.age_days)
}
