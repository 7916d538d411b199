//! The demo's reports: two listings reported by neighbours, waiting in the admins' queue, so
//! the moderation pages have something to show. A report made by an earlier run (the same
//! reporter, the same listing, open or closed) is not made again.

use anyhow::Context;
use sqlx::PgPool;

use super::db as demo_db;
use crate::audit::Actor;
use crate::moderation::db as moderation_db;
use crate::moderation::model::Subject;
use crate::moderation::service;
use crate::spaces::model::SpaceId;

/// (reporter, the listing's owner, its title, the reason).
const REPORTS: [(&str, &str, &str, &str); 2] = [
    (
        "tomas",
        "elena",
        "Animated logo sting (5 seconds)",
        "The same offer is on a paid freelance site at a price in euros. Is that allowed here?",
    ),
    (
        "priya",
        "emma",
        "UX review of your app's sign-up flow",
        "I think this is copied from another member's offer, word for word.",
    ),
];

pub(super) async fn seed(pool: &PgPool, space: SpaceId) -> anyhow::Result<()> {
    let members = demo_db::members(pool, space).await?;
    for (reporter, owner, title, reason) in REPORTS {
        let who = super::member(&members, reporter)?;
        let whose = super::member(&members, owner)?;
        let Some(listing) = demo_db::listing_by_title(pool, space, whose.membership, title).await?
        else {
            continue;
        };
        if moderation_db::reported_before(pool, who.membership, Subject::Listing, listing.0).await?
        {
            continue;
        }
        let thing = moderation_db::thing(pool, space, Subject::Listing, listing.0)
            .await?
            .with_context(|| format!("demo listing \"{title}\""))?;
        let actor = Actor {
            space,
            person: who.person,
            ip: None,
        };
        let mut tx = pool.begin().await?;
        service::report(&mut tx, actor, who.membership, &thing, reason).await?;
        tx.commit().await?;
    }
    Ok(())
}
