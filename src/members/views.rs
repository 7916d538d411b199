//! Page structs for profiles.

use askama::Template;

use crate::members::avatar::Avatar;
use crate::members::model::{Presence, Profile};
use crate::skills::views::SkillView;
use crate::web::form::Errors;
use crate::web::html::{Choice, Choices, Layout};

/// "March 2025": when someone joined the space.
pub fn member_since(p: &Profile) -> String {
    format!("{} {}", p.member_since.month(), p.member_since.year())
}

/// Every presence with its hint, for the profile form.
pub fn presence_choices(current: Option<Presence>) -> Vec<Choice> {
    Presence::ALL
        .iter()
        .map(|p| {
            Choice::new(
                p.as_str(),
                format!("{}: {}", p.label(), p.hint()),
                Some(*p) == current,
            )
        })
        .collect()
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
