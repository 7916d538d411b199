//! Page structs for profiles.

use askama::Template;

use crate::members::avatar::Avatar;
use crate::members::model::{Presence, Profile};
use crate::skills::views::SkillView;
use crate::spaces::model::MembershipId;
use crate::trades::views::KudosLine;
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

/// An open listing on a profile.
pub struct ListingLine {
    pub id: crate::marketplace::model::ListingId,
    pub kind: &'static str,
    pub title: String,
    pub price: String,
}

/// The average of `count` kudos whose stars add up to `stars`, to one decimal: "4.5".
pub fn kudos_average(stars: i32, count: i32) -> String {
    if count == 0 {
        return String::new();
    }
    let tenths = (i64::from(stars) * 10 + i64::from(count) / 2) / i64::from(count);
    format!("{}.{}", tenths / 10, tenths % 10)
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
    pub listings: Vec<ListingLine>,
    pub kudos_count: i32,
    pub kudos_average: String,
    pub kudos: Vec<KudosLine>,
    pub id: crate::spaces::model::MembershipId,
    pub is_me: bool,
    /// Who is looking, and whether they are an admin (report and moderate links).
    pub me: i64,
    pub is_admin: bool,
}

#[derive(Template)]
#[template(path = "members/edit.html")]
pub struct EditProfilePage {
    pub layout: Layout,
    pub slug: String,
    /// The member's own id, for the link to the profile as neighbours see it.
    pub me: MembershipId,
    /// An applicant edits their profile too, but has no public profile or check-in yet.
    pub is_active: bool,
    pub display_name: String,
    pub headline: String,
    pub bio: String,
    pub presences: Vec<Choice>,
    pub here_today: bool,
    pub errors: Errors,
}
