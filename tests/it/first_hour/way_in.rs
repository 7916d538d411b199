//! The join address admins hand out, and the spaces listed on the front page.

use axum::http::StatusCode;
use swapdesk::spaces::db as spaces_db;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{BASE_URL, TestApp};

#[tokio::test]
async fn admins_see_the_join_address_and_what_it_does_on_their_home_and_settings() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Approval).await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    let mut ana = app.signed_in("ana@example.org").await;
    let field = format!("value=\"{BASE_URL}/s/harbour/join\" readonly");
    for path in ["/s/harbour/admin", "/s/harbour/admin/settings"] {
        let page = ana.get(path).await;
        assert!(page.has(&field), "{path}: {}", page.body);
        assert!(page.has("an admin approves each application"), "{path}");
    }
    // Invite only: no address to hand out, but the way to invite.
    ana.post(
        "/s/harbour/admin/settings",
        &[
            ("name", "Harbour"),
            ("time_zone", "UTC"),
            ("signup_mode", "invite"),
            ("auto_complete_days", "7"),
            ("cancel_cutoff_hours", "24"),
            ("currency_name", "hours"),
            ("accent_colour", "teal"),
            ("default_credit_limit", "20"),
            ("space_limit", "0"),
        ],
    )
    .await;
    let page = ana.get("/s/harbour/admin").await;
    assert!(!page.has(&field));
    assert!(page.has("Only people you invite can join"));
    assert!(page.has("/s/harbour/admin/invitations"));
}

#[tokio::test]
async fn a_member_who_is_not_an_admin_never_sees_the_admin_pages() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Approval).await;
    app.member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    let mut bea = app.signed_in("bea@example.org").await;
    for path in ["/s/harbour/admin", "/s/harbour/admin/settings"] {
        assert_eq!(bea.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
}

async fn settings(app: &TestApp, mode: &str, listed: bool) {
    let mut ana = app.signed_in("ana@example.org").await;
    let mut fields = vec![
        ("name", "Harbour Works"),
        ("time_zone", "UTC"),
        ("signup_mode", mode),
        ("auto_complete_days", "7"),
        ("cancel_cutoff_hours", "24"),
        ("currency_name", "hours"),
        ("accent_colour", "teal"),
        ("default_credit_limit", "20"),
        ("space_limit", "0"),
    ];
    if listed {
        fields.push(("listed", "yes"));
    }
    let saved = ana.post("/s/harbour/admin/settings", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

#[tokio::test]
async fn the_front_page_lists_a_space_only_when_its_admins_choose_and_anyone_may_join() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Approval).await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    let join = "href=\"/s/harbour/join\"";
    let front = app.browser().get("/").await;
    assert!(!front.has(join), "not listed by default");

    settings(&app, "approval", true).await;
    let front = app.browser().get("/").await;
    assert!(front.has(join) && front.has("Ask to join Harbour Works"));
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'space.settings_changed' and detail->>'listed' = 'true'")
            .await,
        1
    );

    settings(&app, "open", true).await;
    assert!(app.browser().get("/").await.has("Join Harbour Works"));

    // Invite only: listed or not, the front page has no way in to offer.
    settings(&app, "invite", true).await;
    assert!(!app.browser().get("/").await.has(join));

    settings(&app, "open", false).await;
    assert!(!app.browser().get("/").await.has(join));
}

#[tokio::test]
async fn a_signed_in_person_is_offered_listed_spaces_they_are_not_in_yet() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    settings(&app, "open", true).await;
    let other = app.space("dock", SignupMode::Open).await;
    // Cy belongs to no space yet: the chooser offers Harbour.
    app.person("cy@example.org", "Cy").await;
    let mut cy = app.signed_in("cy@example.org").await;
    let page = cy.get("/").await;
    assert!(page.has("You are not in any space yet"));
    assert!(page.has("href=\"/s/harbour/join\""));
    // Dan is in two spaces, Harbour among them: it is not offered again.
    let dan = app.person("dan@example.org", "Dan").await;
    let mut conn = app.db.acquire().await.unwrap();
    for s in [space, other] {
        spaces_db::add_membership(&mut conn, s, dan, Role::Member, Status::Active)
            .await
            .unwrap();
    }
    let mut dan = app.signed_in("dan@example.org").await;
    let page = dan.get("/").await;
    assert!(page.has("Your spaces") && !page.has("href=\"/s/harbour/join\""));
}
