//! Nobody sees a space they are not an active member of (SPEC §1.2, §8.4).

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::TestApp;

async fn two_spaces() -> TestApp {
    let app = TestApp::new().await;
    let harbour = app.space("harbour", SignupMode::Approval).await;
    let other = app.space("other", SignupMode::Approval).await;
    app.member(harbour, "ana@example.org", Role::Admin, Status::Active)
        .await;
    app.member(
        harbour,
        "pending@example.org",
        Role::Member,
        Status::Pending,
    )
    .await;
    app.member(
        harbour,
        "suspended@example.org",
        Role::Member,
        Status::Suspended,
    )
    .await;
    app.member(other, "olga@example.org", Role::Admin, Status::Active)
        .await;
    app.person("stranger@example.org", "Stranger").await;
    app
}

const SPACE_PAGES: &[&str] = &[
    "/s/harbour",
    "/s/harbour/admin",
    "/s/harbour/admin/applications",
    "/s/harbour/admin/invitations",
    "/s/harbour/admin/settings",
];

#[tokio::test]
async fn a_visitor_who_is_not_signed_in_is_sent_to_sign_in() {
    let app = two_spaces().await;
    let mut browser = app.browser();
    for path in SPACE_PAGES {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(page.location().starts_with("/signin?next="), "{path}");
    }
}

const OUTSIDERS: [&str; 2] = ["stranger@example.org", "olga@example.org"];

#[tokio::test]
async fn a_stranger_and_a_member_of_another_space_see_nothing_of_the_space() {
    let app = two_spaces().await;
    for email in OUTSIDERS {
        let mut browser = app.signed_in(email).await;
        for path in SPACE_PAGES {
            let page = browser.get(path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{email} {path}");
            assert!(!page.has("Ana"), "{email} saw a member on {path}");
            assert!(
                !page.has("pending@example.org"),
                "{email} saw an applicant on {path}"
            );
        }
    }
}

#[tokio::test]
async fn a_stranger_and_a_member_of_another_space_change_nothing_in_the_space() {
    let app = two_spaces().await;
    for email in OUTSIDERS {
        let mut browser = app.signed_in(email).await;
        let id: i64 = sqlx::query_scalar("select id from memberships where status = 'pending'")
            .fetch_one(&app.db)
            .await
            .unwrap();
        let page = browser
            .post(&format!("/s/harbour/admin/applications/{id}/approve"), &[])
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let page = browser
            .post(
                "/s/harbour/admin/settings",
                &[("name", "Taken over"), ("signup_mode", "open")],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let page = browser
            .post(
                "/s/harbour/admin/invitations",
                &[("note", ""), ("days", "7")],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        app.count("select count(*) from memberships where status = 'pending'")
            .await,
        1
    );
    assert_eq!(app.count("select count(*) from invitations").await, 0);
    assert_eq!(
        app.count("select count(*) from spaces where name = 'Taken over'")
            .await,
        0
    );
}

#[tokio::test]
async fn an_admin_of_one_space_cannot_decide_applications_of_another() {
    let app = two_spaces().await;
    let mut olga = app.signed_in("olga@example.org").await;
    let id: i64 = sqlx::query_scalar("select id from memberships where status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    // Her own space's URL with the other space's application id: not found, not approved.
    olga.get("/s/other/admin/applications").await;
    let page = olga
        .post(&format!("/s/other/admin/applications/{id}/approve"), &[])
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("select count(*) from memberships where status = 'pending'")
            .await,
        1
    );
}

#[tokio::test]
async fn suspended_members_can_read_nothing() {
    let app = two_spaces().await;
    let mut suspended = app.signed_in("suspended@example.org").await;
    for path in SPACE_PAGES {
        let page = suspended.get(path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert!(suspended.get("/s/harbour").await.has("suspended"));
}

#[tokio::test]
async fn applicants_see_only_their_status() {
    let app = two_spaces().await;
    let mut pending = app.signed_in("pending@example.org").await;
    let home = pending.get("/s/harbour").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.has("Your application is waiting"));
    assert!(!home.has("Admin</a>"));
    for path in &SPACE_PAGES[1..] {
        assert_eq!(
            pending.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
}

#[tokio::test]
async fn members_are_refused_admin_pages() {
    let app = two_spaces().await;
    let harbour: i64 = sqlx::query_scalar("select id from spaces where slug = 'harbour'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.member(
        swapdesk::spaces::model::SpaceId(harbour),
        "bo@example.org",
        Role::Member,
        Status::Active,
    )
    .await;
    let mut bo = app.signed_in("bo@example.org").await;
    assert_eq!(bo.get("/s/harbour").await.status, StatusCode::OK);
    for path in &SPACE_PAGES[1..] {
        let page = bo.get(path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.has("Only the space"));
    }
}

#[tokio::test]
async fn an_unknown_space_is_not_found() {
    let app = two_spaces().await;
    let mut ana = app.signed_in("ana@example.org").await;
    assert_eq!(ana.get("/s/nowhere").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        ana.get("/s/nowhere/join").await.status,
        StatusCode::NOT_FOUND
    );
}
