//! Profiles, skills, categories and the directory (SPEC §2).

mod categories;
mod finding;
mod profiles;
mod search;

use axum::http::StatusCode;
use swapdesk::skills::db as skills_db;
use swapdesk::skills::model::{CategoryId, Level};
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};
use swapdesk::web::html::Choices;

use crate::helpers::{Browser, Page, TestApp};

struct Space {
    app: TestApp,
    id: SpaceId,
    design: CategoryId,
    legal: CategoryId,
}

async fn add_skill(
    app: &TestApp,
    space: SpaceId,
    who: MembershipId,
    category: CategoryId,
    name: &str,
    level: &str,
) {
    let level = Level::parse(level).unwrap();
    let saved = skills_db::add_skill(&app.db, space, who, category, name, level, "")
        .await
        .unwrap();
    assert!(matches!(saved, skills_db::Saved::Done));
}

async fn set_profile(app: &TestApp, who: MembershipId, headline: &str, bio: &str, presence: &str) {
    sqlx::query("update memberships set headline = $2, bio = $3, presence = $4 where id = $1")
        .bind(who.0)
        .bind(headline)
        .bind(bio)
        .bind(presence)
        .execute(&app.db)
        .await
        .unwrap();
}

/// Ana (admin) and members with skills and bios that search should tell apart.
async fn space() -> (Space, Vec<MembershipId>) {
    let app = TestApp::new().await;
    let id = app.space("harbour", SignupMode::Open).await;
    let design = skills_db::create_category(&app.db, id, "Design")
        .await
        .unwrap()
        .unwrap();
    let legal = skills_db::create_category(&app.db, id, "Legal")
        .await
        .unwrap()
        .unwrap();
    let (_, ana) = app
        .member(id, "ana@example.org", Role::Admin, Status::Active)
        .await;
    let (_, bea) = app
        .member(id, "bea@example.org", Role::Member, Status::Active)
        .await;
    let (_, cy) = app
        .member(id, "cy@example.org", Role::Member, Status::Active)
        .await;
    let (_, dee) = app
        .member(id, "dee@example.org", Role::Member, Status::Active)
        .await;
    let (_, pending) = app
        .member(id, "pending@example.org", Role::Member, Status::Pending)
        .await;
    let (_, suspended) = app
        .member(id, "suspended@example.org", Role::Member, Status::Suspended)
        .await;
    // Bea is a designer by skill; Cy only mentions design in passing, in the bio.
    add_skill(&app, id, bea, design, "Logo design", "expert").await;
    set_profile(&app, bea, "Brand designer", "", "open").await;
    set_profile(
        &app,
        cy,
        "Accountant",
        "I once took a course in graphic design.",
        "heads_down",
    )
    .await;
    add_skill(&app, id, dee, legal, "Contract review", "practised").await;
    set_profile(
        &app,
        dee,
        "Startup lawyer",
        "Trademarks, incorporation.",
        "away",
    )
    .await;
    add_skill(&app, id, pending, design, "Logo design", "expert").await;
    add_skill(&app, id, suspended, design, "Logo design", "expert").await;
    (
        Space {
            app,
            id,
            design,
            legal,
        },
        vec![ana, bea, cy, dee],
    )
}

/// Member names in the order the directory lists them.
fn names(page: &Page) -> Vec<String> {
    page.body
        .split("<h2><a href=\"/s/harbour/members/")
        .skip(1)
        .filter_map(|s| s.split('>').nth(1))
        .filter_map(|s| s.split('<').next())
        .map(str::to_owned)
        .collect()
}

async fn search(browser: &mut Browser, query: &str) -> Vec<String> {
    let page = browser.get(&format!("/s/harbour/directory?{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
    names(&page)
}
