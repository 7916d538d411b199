//! Page structs for skills and the directory.

use askama::Template;

use crate::ledger::views::Choice;
use crate::members::avatar::Avatar;
use crate::members::views::SkillView;
use crate::web::form::Errors;
use crate::web::html::Layout;

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
    pub id: i64,
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

pub struct Card {
    pub membership_id: i64,
    pub avatar: Avatar,
    pub display_name: String,
    pub headline: String,
    pub presence: &'static str,
    pub presence_class: String,
    pub here_today: bool,
    pub skills: Vec<SkillView>,
    pub more_skills: usize,
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
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The search and filters as a query string, for page links.
    pub query: String,
    pub filtered: bool,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "admin/categories.html")]
pub struct CategoriesPage {
    pub layout: Layout,
    pub slug: String,
    /// Each category with the number of skills filed under it.
    pub categories: Vec<(crate::skills::model::Category, i64)>,
    pub new_name: String,
    pub errors: Errors,
}
