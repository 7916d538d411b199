//! Journey: a member looks for a designer in the directory, misspelling the word, and finds
//! the neighbour anyway.

use swapdesk::skills::db as skills_db;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::Journey;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_member_finds_a_neighbour_in_the_directory_despite_a_typo() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let design = skills_db::create_category(&app.db, space, "Design")
        .await
        .unwrap()
        .unwrap();
    let legal = skills_db::create_category(&app.db, space, "Legal")
        .await
        .unwrap()
        .unwrap();
    app.member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let (_, bea) = app
        .member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    let (_, cy) = app
        .member(space, "cy@example.org", Role::Member, Status::Active)
        .await;
    for (who, category, skill) in [(bea, design, "Logo design"), (cy, legal, "Contract review")] {
        skills_db::add_skill(
            &app.db,
            space,
            who,
            category,
            skill,
            swapdesk::skills::model::Level::Expert,
            "",
        )
        .await
        .unwrap();
    }
    let Some(mut j) = Journey::start("directory-typo", app).await else {
        return;
    };

    j.sign_in("ana@example.org", "Ana").await;
    j.press("Menu for Ana").await;
    j.follow("Directory").await;
    j.heading("Directory").await;
    j.sees("3 members.").await;
    j.check("everyone").await;
    j.fill("Who can help with…", "desgin").await;
    j.press("Search the directory").await;
    j.sees("1 member matches your search.").await;
    let found = j.main_text().await;
    assert!(found.contains("Logo design"), "{found}");
    assert!(!found.contains("Cy"), "only the designer matches: {found}");
    j.check("search with a typo").await;

    j.follow("Bea").await;
    j.heading("Bea").await;
    j.sees("Logo design").await;
    j.check("the neighbour's profile").await;
    j.finish().await;
}
