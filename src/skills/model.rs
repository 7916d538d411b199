//! Skills and their categories (SPEC §2.2), and how the directory sorts.

use serde::{Deserialize, Serialize};

use crate::members::model::Presence;
use crate::messages;
use crate::spaces::model::MembershipId;
use crate::web::form::Errors;
use crate::web::html::Choices;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct SkillId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(transparent)]
pub struct CategoryId(pub i64);

impl std::fmt::Display for SkillId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for CategoryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Level {
    Learning,
    Practised,
    Expert,
}

impl Choices for Level {
    const ALL: &'static [Level] = &[Level::Learning, Level::Practised, Level::Expert];
    const CHOOSE: &'static str = messages::CHOOSE_LEVEL;

    fn as_str(self) -> &'static str {
        match self {
            Level::Learning => "learning",
            Level::Practised => "practised",
            Level::Expert => "expert",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Level::Learning => "Learning",
            Level::Practised => "Practised",
            Level::Expert => "Expert",
        }
    }
}

/// How the directory orders members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectorySort {
    Relevance,
    Kudos,
    Newest,
}

impl Choices for DirectorySort {
    const ALL: &'static [DirectorySort] = &[
        DirectorySort::Relevance,
        DirectorySort::Kudos,
        DirectorySort::Newest,
    ];

    fn as_str(self) -> &'static str {
        match self {
            DirectorySort::Relevance => "relevance",
            DirectorySort::Kudos => "kudos",
            DirectorySort::Newest => "newest",
        }
    }

    fn label(self) -> &'static str {
        match self {
            DirectorySort::Relevance => "Best match",
            DirectorySort::Kudos => "Most kudos",
            DirectorySort::Newest => "Newest members",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    pub retired: bool,
}

impl Category {
    /// The category a search filters by: none when `raw` is empty, and an error (noted
    /// against `field`) when it names none of `categories`.
    pub fn filter(
        raw: &str,
        categories: &[Category],
        errors: &mut Errors,
        field: &str,
    ) -> Option<CategoryId> {
        if raw.is_empty() {
            return None;
        }
        let found = raw
            .parse::<i64>()
            .ok()
            .map(CategoryId)
            .filter(|id| categories.iter().any(|c| c.id == *id));
        if found.is_none() {
            errors.add(field, messages::CHOOSE_CATEGORY);
        }
        found
    }
}

#[derive(Debug, Clone)]
pub struct Skill {
    pub id: SkillId,
    pub membership_id: MembershipId,
    pub name: String,
    pub category_id: CategoryId,
    pub category: String,
    pub level: Level,
    pub note: String,
}

/// One member as the directory lists them.
#[derive(Debug, Clone)]
pub struct DirectoryRow {
    pub membership_id: MembershipId,
    pub display_name: String,
    pub headline: String,
    pub presence: Presence,
    pub here_today: bool,
    pub kudos_count: i32,
    pub member_since: time::OffsetDateTime,
    pub rank: f32,
    pub total: i64,
    /// Their skill that the search words match, if one does.
    pub matched_skill: Option<String>,
    /// The same on every row: the words as searched when one was corrected, and the words
    /// searched instead when no one matched them all (see `search_note` in
    /// migrations/0006_search_fallback.sql).
    pub corrected: Option<String>,
    pub fallback: Option<Vec<String>>,
}
