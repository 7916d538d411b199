//! The dashboard (SPEC §3.6): credits, trades waiting, and matching that is about skills,
//! not a keyword coincidence.

use axum::http::StatusCode;
use swapdesk::marketplace::db as market_db;
use swapdesk::skills::db as skills_db;
use swapdesk::skills::model::{CategoryId, Level};
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};

use crate::helpers::TestApp;

struct World {
    app: TestApp,
    space: SpaceId,
    designer: MembershipId,
    accountant: MembershipId,
    asker: MembershipId,
    design: CategoryId,
    finance: CategoryId,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (_, designer) = app
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    let (_, accountant) = app
        .member(space, "bo@example.org", Role::Member, Status::Active)
        .await;
    let (_, asker) = app
        .member(space, "cy@example.org", Role::Member, Status::Active)
        .await;
    let db = &app.db;
    let category = |name| async move {
        skills_db::create_category(db, space, name)
            .await
            .unwrap()
            .unwrap()
    };
    let design = category("Design").await;
    let finance = category("Finance").await;
    for (who, category, name) in [
        (designer, design, "Logo design"),
        (accountant, finance, "Tax returns"),
    ] {
        skills_db::add_skill(&app.db, space, who, category, name, Level::Expert, "")
            .await
            .unwrap();
    }
    World {
        app,
        space,
        designer,
        accountant,
        asker,
        design,
        finance,
    }
}

async fn request(w: &World, who: MembershipId, title: &str, category: CategoryId) {
    sqlx::query(
        "insert into listings (space_id, membership_id, kind, title, description, category_id,
                               price_mode, price)
         values ($1, $2, 'request', $3, 'For the shop front.', $4, 'fixed', 400)",
    )
    .bind(w.space.0)
    .bind(who.0)
    .bind(title)
    .bind(category.0)
    .execute(&w.app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_logo_request_is_suggested_to_the_logo_designer_and_not_to_the_accountant() {
    let w = world().await;
    request(&w, w.asker, "Logo design for my bakery", w.design).await;
    let for_designer = market_db::requests_for(&w.app.db, w.space, w.designer, 5)
        .await
        .unwrap();
    assert_eq!(for_designer.len(), 1);
    assert_eq!(for_designer[0].title, "Logo design for my bakery");
    assert_eq!(for_designer[0].because, "Logo design");
    let for_accountant = market_db::requests_for(&w.app.db, w.space, w.accountant, 5)
        .await
        .unwrap();
    assert!(for_accountant.is_empty(), "{for_accountant:?}");

    // And on the pages themselves.
    let mut ana = w.app.signed_in("ana@example.org").await;
    let home = ana.get("/s/harbour").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.has("Logo design for my bakery") && home.has("Fits your skill: Logo design"));
    let mut bo = w.app.signed_in("bo@example.org").await;
    assert!(!bo.get("/s/harbour").await.has("Logo design for my bakery"));
}

#[tokio::test]
async fn the_asker_is_shown_the_members_whose_skills_fit_and_nobody_else() {
    let w = world().await;
    request(&w, w.asker, "Logo design for my bakery", w.design).await;
    let helpers = market_db::members_for(&w.app.db, w.space, w.asker, 5)
        .await
        .unwrap();
    assert_eq!(helpers.len(), 1, "{helpers:?}");
    assert_eq!(helpers[0].membership_id, w.designer);
    assert_eq!(helpers[0].skills, "Logo design");
    let mut cy = w.app.signed_in("cy@example.org").await;
    let home = cy.get("/s/harbour").await;
    assert!(home.has("Ana") && home.has("for “Logo design for my bakery”"));
    assert!(!home.has("Tax returns"));
}

#[tokio::test]
async fn words_that_fit_rank_above_a_shared_category_and_offers_are_never_suggested() {
    let w = world().await;
    // Same category, no shared words: it fits, but less.
    request(&w, w.asker, "Poster for a jazz night", w.design).await;
    request(&w, w.asker, "A new logo, please", w.finance).await;
    request(&w, w.asker, "Logo design for my bakery", w.design).await;
    sqlx::query("update listings set kind = 'offer' where title = 'A new logo, please'")
        .execute(&w.app.db)
        .await
        .unwrap();
    let ranked = market_db::requests_for(&w.app.db, w.space, w.designer, 5)
        .await
        .unwrap();
    let titles: Vec<&str> = ranked.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Logo design for my bakery", "Poster for a jazz night"]
    );
    assert!(ranked[0].score > ranked[1].score);
    // My own requests are never suggested to me.
    request(&w, w.designer, "Logo design review", w.design).await;
    let again = market_db::requests_for(&w.app.db, w.space, w.designer, 5)
        .await
        .unwrap();
    assert!(again.iter().all(|r| r.title != "Logo design review"));
}

#[tokio::test]
async fn the_dashboard_shows_credits_and_an_applicant_sees_their_status() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let home = ana.get("/s/harbour").await;
    assert!(home.has("Your credits") && home.has("Available to spend"));
    assert!(home.has("Nothing needs you right now"));
    let space = w.space;
    w.app
        .member(space, "pat@example.org", Role::Member, Status::Pending)
        .await;
    let mut pat = w.app.signed_in("pat@example.org").await;
    let page = pat.get("/s/harbour").await;
    assert!(page.has("Your application is waiting"));
    assert!(!page.has("Your credits"));
}
