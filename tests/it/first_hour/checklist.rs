//! A new member's first visit: a short checklist on the dashboard that goes once done.

use swapdesk::skills::db as skills_db;
use swapdesk::skills::model::Level;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::TestApp;

#[tokio::test]
async fn the_first_steps_tick_off_one_by_one_and_the_list_goes_when_all_are_done() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (_, bea) = app
        .member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    let design = skills_db::create_category(&app.db, space, "Design")
        .await
        .unwrap()
        .unwrap();
    let mut browser = app.signed_in("bea@example.org").await;
    let done = |page: &crate::helpers::Page| page.body.matches("Done:</span>").count();

    let home = browser.get("/s/harbour").await;
    assert!(home.has("Your first steps"));
    assert_eq!(done(&home), 0);
    assert!(home.has("href=\"/s/harbour/market/new?kind=offer\""));

    sqlx::query("update memberships set headline = 'Illustrator' where id = $1")
        .bind(bea.0)
        .execute(&app.db)
        .await
        .unwrap();
    for name in ["Logo design", "Posters"] {
        skills_db::add_skill(&app.db, space, bea, design, name, Level::Expert, "")
            .await
            .unwrap();
    }
    let home = browser.get("/s/harbour").await;
    assert_eq!(done(&home), 2, "headline and two skills");

    browser.get("/s/harbour/market/new").await;
    let posted = browser
        .post(
            "/s/harbour/market",
            &[
                ("kind", "offer"),
                ("title", "A logo for your startup"),
                ("description", ""),
                ("category", &design.0.to_string()),
                ("price_mode", "fixed"),
                ("price", "3"),
                ("hours", ""),
                ("expires_on", ""),
            ],
        )
        .await;
    assert_eq!(
        posted.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        posted.body
    );
    assert_eq!(done(&browser.get("/s/harbour").await), 3);

    browser.get("/s/harbour/profile").await;
    browser
        .post("/s/harbour/profile/here", &[("here", "yes")])
        .await;
    let home = browser.get("/s/harbour").await;
    assert!(!home.has("Your first steps"), "all done: the list is gone");
    // Checking out again does not bring it back.
    browser
        .post("/s/harbour/profile/here", &[("here", "no")])
        .await;
    assert!(!browser.get("/s/harbour").await.has("Your first steps"));
}
