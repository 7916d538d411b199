//! Page structs for profiles.

use askama::Template;

use crate::ledger::views::Choice;
use crate::members::avatar::Avatar;
use crate::web::form::Errors;
use crate::web::html::Layout;

/// A skill as a profile or card shows it.
pub struct SkillView {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub level: &'static str,
    pub note: String,
}

#[derive(Template)]
#[template(path = "members/profile.html")]
pub struct ProfilePage {
    pub layout: Layout,
    pub slug: String,
    pub avatar: Avatar,
    pub display_name: String,
    pub headline: String,
    /// The bio split into lines, so line breaks are kept without rendering any HTML.
    pub bio_lines: Vec<String>,
    pub presence: &'static str,
    pub here_today: bool,
    pub member_since: String,
    pub skills: Vec<SkillView>,
    pub is_me: bool,
}

#[derive(Template)]
#[template(path = "members/edit.html")]
pub struct EditProfilePage {
    pub layout: Layout,
    pub slug: String,
    pub display_name: String,
    pub headline: String,
    pub bio: String,
    pub presences: Vec<Choice>,
    pub here_today: bool,
    pub errors: Errors,
}
