//! Page structs for the auth templates.

use askama::Template;

use crate::notify::EmailSubject;
use crate::spaces::model::SpaceChoice;
use crate::web::form::Errors;
use crate::web::html::Layout;

#[derive(Template)]
#[template(path = "auth/signin.html")]
pub struct SignInPage {
    pub layout: Layout,
    pub email: String,
    pub next: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "auth/account.html")]
pub struct AccountPage {
    pub layout: Layout,
    pub display_name: String,
    pub email: String,
    /// The address asked for in the change-of-address form, refilled after a mistake.
    pub new_email: String,
    pub spaces: Vec<SpaceChoice>,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "auth/reset_request.html")]
pub struct ResetRequestPage {
    pub layout: Layout,
    pub email: String,
    pub errors: Errors,
}

/// Choosing a password from a mailed link: a reset, or the first one of a new account.
#[derive(Template)]
#[template(path = "auth/reset_password.html")]
pub struct ResetPasswordPage {
    pub layout: Layout,
    pub heading: &'static str,
    pub intro: &'static str,
    pub button: &'static str,
    pub action: String,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "email/reset.txt")]
pub struct ResetEmail {
    pub display_name: String,
    pub link: String,
}

impl EmailSubject for ResetEmail {
    fn subject(&self) -> String {
        "Reset your Swapdesk password".to_owned()
    }
    fn carries_sign_in_link(&self) -> bool {
        true
    }
}

#[derive(Template)]
#[template(path = "email/verify.txt")]
pub struct VerifyEmail {
    pub display_name: String,
    pub space_name: String,
    /// The space approves each application: say that an admin looks at it next.
    pub awaiting_approval: bool,
    pub link: String,
}

impl EmailSubject for VerifyEmail {
    fn subject(&self) -> String {
        "Confirm your email address for Swapdesk".to_owned()
    }
    fn carries_sign_in_link(&self) -> bool {
        true
    }
}

#[derive(Template)]
#[template(path = "email/password_changed.txt")]
pub struct PasswordChangedEmail {
    pub display_name: String,
    pub reset_link: String,
}

/// The page a mailed email-change link opens.
#[derive(Template)]
#[template(path = "auth/confirm_email_change.html")]
pub struct ConfirmEmailChangePage {
    pub layout: Layout,
    pub new_email: String,
    pub token: String,
}

/// To the new address: the link that makes it the account's.
#[derive(Template)]
#[template(path = "email/change_email.txt")]
pub struct EmailChangeEmail {
    pub display_name: String,
    pub link: String,
}

impl EmailSubject for EmailChangeEmail {
    fn subject(&self) -> String {
        "Confirm your new email address for Swapdesk".to_owned()
    }
    fn carries_sign_in_link(&self) -> bool {
        true
    }
}

/// To the old address, once the change is made.
#[derive(Template)]
#[template(path = "email/email_changed.txt")]
pub struct EmailChangedEmail {
    pub display_name: String,
    pub new_email: String,
    pub reset_link: String,
}

impl EmailSubject for EmailChangedEmail {
    fn subject(&self) -> String {
        "Your Swapdesk email address was changed".to_owned()
    }
}

impl EmailSubject for PasswordChangedEmail {
    fn subject(&self) -> String {
        "Your Swapdesk password was changed".to_owned()
    }
}

#[derive(Template)]
#[template(path = "auth/delete.html")]
pub struct DeleteAccountPage {
    pub layout: Layout,
    /// The spaces to leave first.
    pub to_leave: Vec<crate::auth::erase::SpaceToLeave>,
    pub errors: Errors,
}
