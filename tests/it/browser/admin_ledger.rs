//! Journey: an admin grants credits through the check step and sees who got how much,
//! verifies the ledger, and retires a category after being asked; the member then reads
//! the grant on their statement, at a phone's width too.

use swapdesk::skills::db as skills_db;
use swapdesk::skills::model::Level;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::Journey;
use crate::helpers::TestApp;

#[tokio::test]
async fn an_admin_grants_checks_the_ledger_and_retires_a_category() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    let (_, bea) = app
        .member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    let design = skills_db::create_category(&app.db, space, "Design")
        .await
        .unwrap()
        .unwrap();
    skills_db::add_skill(
        &app.db,
        space,
        bea,
        design,
        "Logo design",
        Level::Expert,
        "",
    )
    .await
    .unwrap();
    let Some(mut j) = Journey::start("admin-ledger", app).await else {
        return;
    };

    j.sign_in("ana@example.org", "Ana").await;
    j.visit("/s/harbour/admin/ledger").await;
    j.heading("Ledger").await;
    j.follow("Grant credits").await;
    j.heading("Grant credits").await;
    j.choose("Who receives the grant", "Bea").await;
    j.fill("Amount", "5").await;
    j.fill("What it is for", "Ran the lunch").await;
    j.press("Check the grant").await;
    j.heading("Check the grant").await;
    j.check("check the grant").await;
    j.press("Grant 5.00 hours to Bea").await;
    j.sees("Bea got 5.00 hours from the space account.").await;
    j.check("the ledger after a grant").await;

    j.follow("Verify the ledger").await;
    j.heading("Verify the ledger").await;
    j.press("Run verify now").await;
    j.sees("Every check passed").await;
    j.check("verified").await;

    j.visit("/s/harbour/admin/categories").await;
    j.heading("Skill categories").await;
    j.check("categories").await;
    j.follow("Retire Design…").await;
    j.heading("Retire Design?").await;
    j.check("retire a category?").await;
    j.press("Retire Design").await;
    j.sees("Offer Design again").await;

    j.sign_out("Ana").await;
    j.sign_in("bea@example.org", "Bea").await;
    j.visit("/s/harbour/credits").await;
    j.heading("My credits").await;
    j.sees("Ran the lunch").await;
    j.check("the member's statement").await;
    j.finish().await;
}
