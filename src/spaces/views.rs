//! Page structs for the landing page, the space home and joining.

use askama::Template;

use crate::notify::EmailSubject;
use crate::spaces::db::ListedSpace;
use crate::spaces::model::SpaceChoice;
use crate::web::form::Errors;
use crate::web::html::Layout;

#[derive(Template)]
#[template(path = "spaces/landing.html")]
pub struct LandingPage {
    pub layout: Layout,
    pub listed: Vec<ListedSpace>,
}

#[derive(Template)]
#[template(path = "spaces/chooser.html")]
pub struct ChooserPage {
    pub layout: Layout,
    pub spaces: Vec<SpaceChoice>,
    pub listed: Vec<ListedSpace>,
}

/// Joining a space: a registration form for visitors, one button for the signed-in.
#[derive(Template)]
#[template(path = "spaces/join.html")]
pub struct JoinPage {
    pub layout: Layout,
    pub space_name: String,
    pub action: String,
    /// The visitor is signed in: no registration fields, just the button.
    pub signed_in: bool,
    /// The space needs an admin's approval.
    pub needs_approval: bool,
    pub display_name: String,
    pub email: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "email/account_exists.txt")]
pub struct AccountExistsEmail {
    pub space_name: String,
    pub signin_link: String,
    pub join_link: String,
}

impl EmailSubject for AccountExistsEmail {
    fn subject(&self) -> String {
        "You already have a Swapdesk account".to_owned()
    }
}

#[derive(Template)]
#[template(path = "email/approved.txt")]
pub struct ApprovedEmail {
    pub display_name: String,
    pub space_name: String,
    pub link: String,
}

#[derive(Template)]
#[template(path = "email/declined.txt")]
pub struct DeclinedEmail {
    pub display_name: String,
    pub space_name: String,
    pub reason: String,
}

impl EmailSubject for DeclinedEmail {
    fn subject(&self) -> String {
        format!("Your application to join {}", self.space_name)
    }
}

impl EmailSubject for ApprovedEmail {
    fn subject(&self) -> String {
        format!("Welcome to {}", self.space_name)
    }
}

/// An invitation sent by email (the admins' CSV import), with its single-use link.
#[derive(Template)]
#[template(path = "email/invitation.txt")]
pub struct InvitationEmail {
    pub name: String,
    pub inviter: String,
    pub space_name: String,
    pub link: String,
    pub days: i64,
}

impl EmailSubject for InvitationEmail {
    fn subject(&self) -> String {
        format!("You are invited to join {} on Swapdesk", self.space_name)
    }

    /// The link lets whoever holds it join as the invitee: like a sign-in link, nobody
    /// reads it in the outbox, and its text is cleared once delivered.
    fn carries_sign_in_link(&self) -> bool {
        true
    }
}
