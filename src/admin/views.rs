//! Page structs for the admin pages.

use askama::Template;

use crate::notify::EmailSubject;
use crate::spaces::db::Invitation;
use crate::spaces::model::{Applicant, SignupMode};
use crate::web::form::Errors;
use crate::web::html::Layout;

#[derive(Template)]
#[template(path = "admin/index.html")]
pub struct AdminIndexPage {
    pub layout: Layout,
    pub slug: String,
    pub pending: usize,
}

#[derive(Template)]
#[template(path = "admin/applications.html")]
pub struct ApplicationsPage {
    pub layout: Layout,
    pub slug: String,
    pub applicants: Vec<Applicant>,
}

#[derive(Template)]
#[template(path = "admin/decline.html")]
pub struct DeclinePage {
    pub layout: Layout,
    pub slug: String,
    pub applicant: Applicant,
}

#[derive(Template)]
#[template(path = "admin/invitations.html")]
pub struct InvitationsPage {
    pub layout: Layout,
    pub slug: String,
    pub invitations: Vec<Invitation>,
    /// The link just made; shown once.
    pub new_link: Option<String>,
    pub note: String,
    pub days: String,
    pub errors: Errors,
}

pub struct ModeOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

impl ModeOption {
    pub fn all(current: SignupMode) -> Vec<ModeOption> {
        SignupMode::ALL
            .into_iter()
            .map(|m| ModeOption {
                value: m.as_str(),
                label: m.label(),
                selected: m == current,
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
pub struct SettingsPage {
    pub layout: Layout,
    pub slug: String,
    pub name: String,
    pub modes: Vec<ModeOption>,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "email/approved.txt")]
pub struct ApprovedEmail {
    pub display_name: String,
    pub space_name: String,
    pub link: String,
}

impl EmailSubject for ApprovedEmail {
    fn subject(&self) -> String {
        format!("Welcome to {}", self.space_name)
    }
}
