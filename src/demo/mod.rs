//! The demo space (SPEC §9.7): `swapdesk demo` seeds it, idempotently, so a newcomer sees a
//! living space at once. Each feature seeds its own part from `data`; later features add
//! a file here.

mod data;
mod db;
mod directory;
mod ledger;
mod market_data;
mod marketplace;
mod moderation;
mod rooms;
mod spaces;
mod trades;

use anyhow::Context;
use sqlx::PgPool;

use crate::ledger::db::{self as ledger_db, MemberAccount};
use crate::spaces::model::{SpaceId, Status};

pub const SLUG: &str = "demo";
pub const NAME: &str = "Harbour Works";
/// Every demo account shares this password; the README states it.
pub const PASSWORD: &str = "harbour-works-demo";
pub const ADMIN_EMAIL: &str = "maya@harbour.example";

/// Seeds the demo space. Running it again changes nothing that is already there.
pub async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    let space = spaces::seed(pool).await?;
    directory::seed(pool, space).await?;
    ledger::seed(pool, space).await?;
    marketplace::seed(pool, space).await?;
    trades::seed(pool, space).await?;
    rooms::seed(pool, space).await?;
    moderation::seed(pool, space).await?;
    db::settle_notifications(pool, space).await?;
    Ok(())
}

/// The member the demo's data names by the part of their email before the @.
fn member<'a>(members: &'a [db::DemoMember], name: &str) -> anyhow::Result<&'a db::DemoMember> {
    let email = format!("{name}@harbour.example");
    members
        .iter()
        .find(|m| m.email == email)
        .with_context(|| format!("the demo has no member {email}"))
}

/// The demo's active members: only they get a profile, skills and a history.
async fn active_members(pool: &PgPool, space: SpaceId) -> sqlx::Result<Vec<MemberAccount>> {
    Ok(ledger_db::member_accounts(pool, space)
        .await?
        .into_iter()
        .filter(|m| m.status == Status::Active)
        .collect())
}
