//! Page structs for skills and the directory.

use askama::Template;

use crate::members::avatar::Avatar;
use crate::skills::model::{Category, Skill, SkillId};
use crate::web::form::Errors;
use crate::web::html::{Choice, Choices, Layout};
use crate::web::pager::Pager;

/// A skill as a profile or card shows it.
pub struct SkillView {
    pub id: SkillId,
    pub name: String,
    pub category: String,
    pub level: &'static str,
    pub note: String,
}

impl From<&Skill> for SkillView {
    fn from(s: &Skill) -> Self {
        Self {
            id: s.id,
            name: s.name.clone(),
            category: s.category.clone(),
            level: s.level.label(),
            note: s.note.clone(),
        }
    }
}

/// Categories offered for a skill: a prompt first, then the active ones, plus the
/// skill's own if it was retired (`keep`).
pub fn category_choices(
    categories: &[Category],
    chosen: &str,
    keep: Option<crate::skills::model::CategoryId>,
) -> Vec<Choice> {
    std::iter::once(Choice::new("", "Choose a category", chosen.is_empty()))
        .chain(
            categories
                .iter()
                .filter(|c| !c.retired || Some(c.id) == keep)
                .map(|c| {
                    let label = if c.retired {
                        format!("{} (retired)", c.name)
                    } else {
                        c.name.clone()
                    };
                    Choice::new(c.id.to_string(), label, c.id.to_string() == chosen)
                }),
        )
        .collect()
}

#[derive(Template)]
#[template(path = "skills/list.html")]
pub struct SkillsPage {
    pub layout: Layout,
    pub slug: String,
    pub skills: Vec<SkillView>,
    pub categories: Vec<Choice>,
    pub levels: Vec<Choice>,
    /// Not `name`: the form macros have a parameter of that name.
    pub skill_name: String,
    pub note: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "skills/edit.html")]
pub struct EditSkillPage {
    pub layout: Layout,
    pub slug: String,
    pub id: SkillId,
    pub categories: Vec<Choice>,
    pub levels: Vec<Choice>,
    /// Not `name`: the form macros have a parameter of that name.
    pub skill_name: String,
    pub note: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "skills/remove.html")]
pub struct RemoveSkillPage {
    pub layout: Layout,
    pub slug: String,
    pub skill: SkillView,
}

/// What a search page says about how it read the words: the correction it made ("Showing
/// results for design"), or the words it fell back to when nothing matched them all. The
/// directory and the marketplace share it (`partials/search_note.html`).
#[derive(Debug, Default)]
pub struct SearchNote {
    /// The words as searched, when one of them was corrected.
    pub corrected: Option<String>,
    /// The words as typed (or corrected) that nothing matched all of.
    pub searched: String,
    /// The words that were searched instead; empty when every word matched.
    pub fallback: Vec<String>,
}

impl SearchNote {
    /// From what the search said on its rows (the same on each); `q` as typed.
    pub fn new(q: &str, corrected: Option<&String>, fallback: Option<&Vec<String>>) -> Self {
        Self {
            searched: corrected.map_or(q, String::as_str).to_owned(),
            corrected: corrected.cloned(),
            fallback: fallback.cloned().unwrap_or_default(),
        }
    }
}

pub struct Card {
    pub membership_id: crate::spaces::model::MembershipId,
    pub avatar: Avatar,
    pub display_name: String,
    pub headline: String,
    pub presence: &'static str,
    pub presence_class: &'static str,
    pub here_today: bool,
    pub skills: Vec<SkillView>,
    pub more_skills: usize,
    /// The skill that the search words match, if one does.
    pub matched_skill: Option<String>,
}

#[derive(Template)]
#[template(path = "skills/directory.html")]
pub struct DirectoryPage {
    pub layout: Layout,
    pub slug: String,
    pub q: String,
    pub categories: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub presences: Vec<Choice>,
    pub sorts: Vec<Choice>,
    pub here: bool,
    pub cards: Vec<Card>,
    pub pager: Pager,
    pub filtered: bool,
    pub note: SearchNote,
    /// The search as a marketplace query string, for the empty state's link.
    pub market_query: String,
    pub errors: Errors,
}
