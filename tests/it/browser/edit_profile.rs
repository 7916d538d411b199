//! Journey: a member fills in their profile and adds a skill, then sees both as neighbours do.

use swapdesk::skills::db as skills_db;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::Journey;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_member_edits_the_profile_and_adds_a_skill() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    skills_db::create_category(&app.db, space, "Design")
        .await
        .unwrap()
        .unwrap();
    app.member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    let Some(mut j) = Journey::start("edit-profile", app).await else {
        return;
    };

    j.sign_in("bea@example.org", "Bea").await;
    j.press("Menu for Bea").await;
    j.follow("Your profile").await;
    j.heading("Your profile").await;
    j.check("profile form").await;
    j.fill("Headline", "Brand designer, desk 14").await;
    j.fill(
        "About you",
        "Logos, posters and signs.\nAsk me over coffee.",
    )
    .await;
    j.pick("Heads-down: Around, but not taking requests right now")
        .await;
    j.press("Save your profile").await;
    j.sees("Your profile is saved.").await;
    j.check("profile saved").await;

    j.follow("Edit your skills").await;
    j.heading("Your skills").await;
    j.check("no skills yet").await;
    j.fill("Skill", "Logo design").await;
    j.choose("Category", "Design").await;
    j.choose("Level", "Expert").await;
    j.fill("Note (optional)", "Figma and Illustrator").await;
    j.press("Add this skill").await;
    j.sees("The skill is on your profile.").await;
    j.find_named("strong", "Logo design").await;
    j.check("skill added").await;

    j.press("Menu for Bea").await;
    j.follow("Directory").await;
    j.heading("Directory").await;
    j.follow("Bea").await;
    j.heading("Bea").await;
    let profile = j.main_text().await;
    for shown in [
        "Brand designer, desk 14",
        "Ask me over coffee.",
        "Heads-down",
        "Logo design",
        "Figma and Illustrator",
    ] {
        assert!(
            profile.contains(shown),
            "{shown:?} missing from:\n{profile}"
        );
    }
    j.check("profile as neighbours see it").await;
    j.finish().await;
}
