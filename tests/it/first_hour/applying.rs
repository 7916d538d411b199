//! Applying to a space that approves its members: what the applicant sees and may do while
//! waiting, when admins hear of it, and how their decision reaches the applicant.

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, SpaceId, Status};

use crate::helpers::{Browser, TestApp};
use crate::joining::confirm;

async fn club() -> (TestApp, SpaceId) {
    let app = TestApp::new().await;
    let space = app.space("club", SignupMode::Approval).await;
    app.member(space, "admin@example.org", Role::Admin, Status::Active)
        .await;
    (app, space)
}

async fn apply(app: &TestApp, email: &str) -> Browser {
    let mut browser = app.browser();
    browser.get("/s/club/join").await;
    let sent = browser
        .post(
            "/s/club/join",
            &[("display_name", "Bea Newcomer"), ("email", email)],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    browser
}

/// The admins' notices of applications in their inbox (their email follows their choice).
async fn application_notices(app: &TestApp) -> i64 {
    app.count("select count(*) from notifications where kind = 'admin_application'")
        .await
}

async fn pending_id(app: &TestApp) -> i64 {
    app.count("select id from memberships where status = 'pending'")
        .await
}

#[tokio::test]
async fn admins_hear_of_an_application_only_once_its_address_is_confirmed() {
    let (app, _) = club().await;
    let mut bea = apply(&app, "bea@example.org").await;
    let (subject, body) = app.email_to("bea@example.org").await.unwrap();
    assert_eq!(subject, "Confirm your email address for Swapdesk");
    assert!(body.contains("an admin of Space club will look at your application"));
    assert_eq!(application_notices(&app).await, 0);

    let mut admin = app.signed_in("admin@example.org").await;
    let list = admin.get("/s/club/admin/applications").await;
    assert!(list.has("Bea Newcomer") && list.has("Address not confirmed yet"));

    confirm(&app, &mut bea, "bea@example.org").await;
    assert_eq!(application_notices(&app).await, 1);
    let inbox = admin.get("/s/club/inbox").await;
    assert!(
        inbox.has("Bea Newcomer applied to join and confirmed their address"),
        "{}",
        inbox.body
    );
    assert!(inbox.has("href=\"/s/club/admin/applications\""));
    let list = admin.get("/s/club/admin/applications").await;
    assert!(list.has("Address confirmed") && !list.has("Address not confirmed yet"));
}

#[tokio::test]
async fn a_signed_in_person_who_applies_is_told_to_the_admins_at_once() {
    let (app, _) = club().await;
    app.person("cy@example.org", "Cy").await;
    let mut cy = app.signed_in("cy@example.org").await;
    cy.get("/s/club/join").await;
    let done = cy.post("/s/club/join", &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(application_notices(&app).await, 1);
}

#[tokio::test]
async fn the_confirmation_email_of_an_open_space_says_the_link_lets_you_in() {
    let app = TestApp::new().await;
    app.space("open", SignupMode::Open).await;
    let mut bea = app.browser();
    bea.get("/s/open/join").await;
    bea.post(
        "/s/open/join",
        &[("display_name", "Bea"), ("email", "bea@example.org")],
    )
    .await;
    let (_, body) = app.email_to("bea@example.org").await.unwrap();
    assert!(body.contains("Thanks for joining Space open"));
    assert!(body.contains("the link signs you in to Space open"));
    assert!(!body.contains("admin"));
}

#[tokio::test]
async fn an_applicant_sees_what_comes_next_and_fills_in_a_profile_and_skills_meanwhile() {
    let (app, space) = club().await;
    swapdesk::skills::db::create_category(&app.db, space, "Design")
        .await
        .unwrap()
        .unwrap();
    let mut bea = apply(&app, "bea@example.org").await;
    confirm(&app, &mut bea, "bea@example.org").await;
    let home = bea.get("/s/club").await;
    assert!(home.has("What happens next") && home.has("href=\"/s/club/profile/skills\""));
    // Not yet a neighbour: the space's pages stay closed, and its links are not offered.
    assert!(!home.has("href=\"/s/club/market\""));
    for path in ["/s/club/directory", "/s/club/market", "/s/club/credits"] {
        assert_eq!(bea.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let form = bea.get("/s/club/profile").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.has("once an admin approves your application"));
    assert!(!form.has("Check in as here today"));
    let saved = bea
        .post(
            "/s/club/profile",
            &[
                ("display_name", "Bea Newcomer"),
                ("headline", "Illustrator, desk 3"),
                ("bio", ""),
                ("presence", "open"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/s/club/profile");
    let category = app
        .count("select id from skill_categories")
        .await
        .to_string();
    let added = bea
        .post(
            "/s/club/profile/skills",
            &[
                ("name", "Children's book illustration"),
                ("category", &category),
                ("level", "expert"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(
        app.count("select count(*) from skills").await,
        1,
        "the skill is kept for when Bea is in"
    );
    // Pending members are still nowhere in the directory.
    let mut admin = app.signed_in("admin@example.org").await;
    let found = admin.get("/s/club/directory?q=illustration").await;
    assert!(!found.has("Bea Newcomer"));
}

#[tokio::test]
async fn approving_names_who_got_in() {
    let (app, _) = club().await;
    let mut bea = apply(&app, "bea@example.org").await;
    confirm(&app, &mut bea, "bea@example.org").await;
    let id = pending_id(&app).await;
    let mut admin = app.signed_in("admin@example.org").await;
    let done = admin
        .post(&format!("/s/club/admin/applications/{id}/approve"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let list = admin.get(done.location()).await;
    assert!(
        list.has("Bea Newcomer is approved and is now a member"),
        "{}",
        list.body
    );
    // The notice names only a member of this space who is active.
    let odd = admin
        .get("/s/club/admin/applications?approved=999999")
        .await;
    assert_eq!(odd.status, StatusCode::OK);
    assert!(!odd.has("is approved"));
    let odd = admin.get("/s/club/admin/applications?approved=x").await;
    assert_eq!(odd.status, StatusCode::OK);
}

#[tokio::test]
async fn a_decline_carries_its_reason_to_the_applicant() {
    let (app, _) = club().await;
    let mut bea = apply(&app, "bea@example.org").await;
    confirm(&app, &mut bea, "bea@example.org").await;
    let id = pending_id(&app).await;
    let path = format!("/s/club/admin/applications/{id}/decline");
    let mut admin = app.signed_in("admin@example.org").await;
    let form = admin.get(&path).await;
    assert!(form.has("Reason (optional)"));

    let long = "x".repeat(501);
    let refused = admin.post(&path, &[("reason", &long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.title().starts_with("Error:"));
    assert!(refused.has(&long), "the reason is kept");
    assert_eq!(
        app.count("select count(*) from memberships where status = 'pending'")
            .await,
        1,
        "nothing decided"
    );

    let reason = "We are full until March: please apply again then.";
    let done = admin.post(&path, &[("reason", reason)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let body = app
        .email_about("bea@example.org", "Your application to join Space club")
        .await
        .expect("the applicant hears");
    assert!(body.contains("declined") && body.contains(reason));
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'application.declined' and detail->>'reason' like 'We are full%'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_decline_without_a_reason_still_tells_the_applicant() {
    let (app, _) = club().await;
    let mut bea = apply(&app, "bea@example.org").await;
    confirm(&app, &mut bea, "bea@example.org").await;
    let id = pending_id(&app).await;
    let mut admin = app.signed_in("admin@example.org").await;
    admin
        .post(
            &format!("/s/club/admin/applications/{id}/decline"),
            &[("reason", "")],
        )
        .await;
    let body = app
        .email_about("bea@example.org", "Your application to join Space club")
        .await
        .unwrap();
    assert!(body.contains("declined") && !body.contains("They said"));
}
