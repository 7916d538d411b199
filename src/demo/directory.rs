//! The demo's directory: categories, skills, profiles, presence and a few check-ins, so
//! search has something to find.

use sqlx::PgPool;

use super::data::{BIOS, HEADLINE_HINTS, SKILLS};
use crate::members::db as members_db;
use crate::members::model::Presence;
use crate::skills::db as skills_db;
use crate::skills::model::Level;
use crate::spaces::model::SpaceId;

/// The index in SKILLS of the category a headline suggests.
fn home_category(headline: &str) -> Option<usize> {
    let lower = headline.to_lowercase();
    let category = HEADLINE_HINTS
        .iter()
        .find(|(_, words)| words.iter().any(|w| lower.contains(w)))?
        .0;
    SKILLS.iter().position(|(name, _)| *name == category)
}

/// Categories, skills, presence and a few check-ins for every active member.
pub(super) async fn seed(pool: &PgPool, space: SpaceId) -> anyhow::Result<()> {
    for (category, _) in SKILLS {
        skills_db::create_category(pool, space, category).await?;
    }
    let categories = skills_db::categories(pool, space).await?;
    let members = super::active_members(pool, space).await?;
    let levels = [
        Level::Expert,
        Level::Practised,
        Level::Practised,
        Level::Learning,
    ];
    let presences = [
        Presence::Open,
        Presence::Open,
        Presence::HeadsDown,
        Presence::Open,
        Presence::Away,
    ];
    for (i, m) in members.iter().enumerate() {
        let presence = presences[i % presences.len()];
        let profile = members_db::profile(pool, space, m.membership_id).await?;
        let headline = profile.map(|p| p.headline).unwrap_or_default();
        members_db::update_profile(
            pool,
            space,
            m.membership_id,
            &headline,
            BIOS[i % BIOS.len()],
            presence,
        )
        .await?;
        members_db::set_here_today(
            pool,
            space,
            m.membership_id,
            i % 3 == 0 && presence != Presence::Away,
        )
        .await?;
        // Three to five skills each, mostly from the category their headline suggests.
        let home = home_category(&headline).unwrap_or(i % SKILLS.len());
        for k in 0..(3 + i % 3) {
            let (category, names) = SKILLS[if k < 3 {
                home
            } else {
                (home + k) % SKILLS.len()
            }];
            let Some(category_id) = categories.iter().find(|c| c.name == category).map(|c| c.id)
            else {
                continue;
            };
            let name = names[(i + k * 2) % names.len()];
            let note = if k == 0 { "Ask me over coffee" } else { "" };
            skills_db::add_skill(
                pool,
                space,
                m.membership_id,
                category_id,
                name,
                levels[(i + k) % levels.len()],
                note,
            )
            .await?;
        }
    }
    Ok(())
}
