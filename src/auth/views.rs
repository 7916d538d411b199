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

#[derive(Template)]
#[template(path = "auth/reset_password.html")]
pub struct ResetPasswordPage {
    pub layout: Layout,
    pub action: String,
    pub errors: Errors,
}

/// A page whose single button confirms something a mailed link started.
#[derive(Template)]
#[template(path = "auth/confirm.html")]
pub struct ConfirmPage {
    pub layout: Layout,
    pub heading: String,
    pub body: String,
    pub action: String,
    pub button: String,
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
}

#[derive(Template)]
#[template(path = "email/verify.txt")]
pub struct VerifyEmail {
    pub display_name: String,
    pub space_name: String,
    pub link: String,
}

impl EmailSubject for VerifyEmail {
    fn subject(&self) -> String {
        "Confirm your email address for Swapdesk".to_owned()
    }
}
