//! Journey: a newcomer finds a listed space on the front page and applies; while waiting
//! they fill in their profile and a skill; the admin, told once the address is confirmed,
//! approves them by name; their first visit as a member shows the first steps.

use swapdesk::skills::db as skills_db;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::Journey;
use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn a_newcomer_applies_gets_ready_while_waiting_and_is_welcomed() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Approval).await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    skills_db::create_category(&app.db, space, "Design")
        .await
        .unwrap()
        .unwrap();
    sqlx::query("update spaces set listed = true")
        .execute(&app.db)
        .await
        .unwrap();
    let Some(mut j) = Journey::start("apply-and-onboard", app).await else {
        return;
    };

    bea_applies_from_the_front_page(&mut j).await;
    bea_gets_ready_while_waiting(&mut j).await;
    ana_approves_bea(&mut j).await;

    j.sign_in("bea@example.org", "Bea Newcomer").await;
    j.heading("Welcome, Bea Newcomer").await;
    j.sees("Your first steps").await;
    j.check("first visit as a member").await;
    bea_changes_her_email(&mut j).await;
    j.finish().await;
}

async fn bea_applies_from_the_front_page(j: &mut Journey) {
    j.visit("/").await;
    j.check("front page with a listed space").await;
    j.follow("Ask to join Space harbour").await;
    j.fill("Your name", "Bea Newcomer").await;
    j.fill("Email address", "bea@example.org").await;
    j.press("Apply to join Space harbour").await;
    j.heading("Check your email").await;
    let link = j
        .emailed_link("bea@example.org", "Confirm your email address for Swapdesk")
        .await;
    j.visit(&link).await;
    j.fill("New password", PASSWORD).await;
    j.fill("Type the new password again", PASSWORD).await;
    j.press("Confirm and sign in").await;
    j.sees("Your application is waiting").await;
    j.sees("What happens next").await;
    j.check("waiting for approval").await;
}

async fn bea_gets_ready_while_waiting(j: &mut Journey) {
    j.follow("Fill in your profile").await;
    j.heading("Your profile").await;
    j.fill("Headline", "Illustrator, desk 3").await;
    j.press("Save your profile").await;
    j.sees("Your profile is saved").await;
    j.check("an applicant's profile").await;
    j.visit("/s/harbour/profile/skills").await;
    j.fill("Skill", "Children's book illustration").await;
    j.choose("Category", "Design").await;
    j.choose("Level", "Expert").await;
    j.press("Add this skill").await;
    j.sees("Children's book illustration").await;
    j.sign_out("Bea Newcomer").await;
}

async fn ana_approves_bea(j: &mut Journey) {
    j.sign_in("ana@example.org", "Ana").await;
    j.follow("1 application waiting for you").await;
    j.heading("Applications").await;
    j.sees("Address confirmed").await;
    j.check("an application with its address confirmed").await;
    j.press("Approve Bea Newcomer").await;
    j.sees("Bea Newcomer is approved and is now a member").await;
    j.visit("/s/harbour/admin").await;
    j.sees("Your space's join address").await;
    j.check("the admin home with the join address").await;
    j.sign_out("Ana").await;
}

async fn bea_changes_her_email(j: &mut Journey) {
    j.visit("/account").await;
    j.fill("New email address", "bea@studio.example.org").await;
    j.fill("Your password", PASSWORD).await;
    j.press("Send the confirmation link").await;
    j.check("asked to confirm the new address").await;
    let link = j
        .emailed_link(
            "bea@studio.example.org",
            "Confirm your new email address for Swapdesk",
        )
        .await;
    j.visit(&link).await;
    j.heading("Confirm your new email address").await;
    j.check("confirm the new address").await;
    j.press("Use bea@studio.example.org").await;
    j.sees("Your email address is changed").await;
    j.check("the address changed").await;
}
