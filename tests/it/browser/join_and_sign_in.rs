//! Journey: a newcomer joins an open space, confirms the address by the emailed link while
//! choosing a password, signs out, and signs in again with that password.

use swapdesk::spaces::model::SignupMode;

use super::Journey;
use crate::helpers::TestApp;

const CHOSEN: &str = "a kettle on every desk";

#[tokio::test]
async fn a_newcomer_joins_confirms_by_email_and_signs_in_again() {
    let app = TestApp::new().await;
    app.space("harbour", SignupMode::Open).await;
    let Some(mut j) = Journey::start("join-and-sign-in", app).await else {
        return;
    };

    j.visit("/s/harbour/join").await;
    j.heading("Join Space harbour").await;
    j.check("join form").await;
    j.fill("Your name", "Bea Newcomer").await;
    j.fill("Email address", "bea@example.org").await;
    j.press("Join Space harbour").await;
    j.heading("Check your email").await;
    j.check("check your email").await;

    let link = j
        .emailed_link("bea@example.org", "Confirm your email address for Swapdesk")
        .await;
    j.visit(&link).await;
    j.heading("Confirm your address and choose a password")
        .await;
    j.check("choose a password").await;
    j.fill("New password", CHOSEN).await;
    j.fill("Type the new password again", CHOSEN).await;
    j.press("Confirm and sign in").await;
    j.heading("Welcome, Bea Newcomer").await;
    j.check("space home after confirming").await;

    j.sign_out("Bea Newcomer").await;
    j.sees("You are signed out.").await;
    j.check("signed out").await;
    j.fill("Email address", "bea@example.org").await;
    j.fill("Password", CHOSEN).await;
    j.press("Sign in").await;
    j.heading("Welcome, Bea Newcomer").await;
    j.finish().await;
}
