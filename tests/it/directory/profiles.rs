//! Profiles and skills: how a profile shows, and who may change it with what.

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::{Space, search, space};
use crate::helpers::{Browser, Page};

#[tokio::test]
async fn a_profile_shows_bio_lines_skills_presence_and_an_accessible_avatar() {
    let (s, m) = space().await;
    sqlx::query("update memberships set bio = 'Line one\nLine <b>two</b>' where id = $1")
        .bind(m[3].0)
        .execute(&s.app.db)
        .await
        .unwrap();
    let mut ana = s.app.signed_in("ana@example.org").await;
    let page = ana.get(&format!("/s/harbour/members/{}", m[3].0)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.has("Line one<br>Line &#60;b&#62;two&#60;/b&#62;")
            || page.has("Line one<br>Line &lt;b&gt;two&lt;/b&gt;"),
        "{}",
        page.body
    );
    assert!(page.has("role=\"img\" aria-label=\"Dee\"") && page.has(">D</text>"));
    assert!(page.has("Contract review") && page.has("Away") && page.has("No kudos yet"));
    assert!(!page.has("Edit your profile"), "not Ana's own profile");
}

#[tokio::test]
async fn a_member_edits_their_profile_and_search_follows_the_new_name() {
    let (s, m) = space().await;
    let mut bea = s.app.signed_in("bea@example.org").await;
    let form = bea.get("/s/harbour/profile").await;
    assert!(form.has("value=\"Brand designer\""));
    let saved = bea
        .post(
            "/s/harbour/profile",
            &[
                ("display_name", "Bea Stone"),
                ("headline", "Designer"),
                ("bio", "Hi\nthere"),
                ("presence", "away"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let headline: String = sqlx::query_scalar("select headline from memberships where id = $1")
        .bind(m[1].0)
        .fetch_one(&s.app.db)
        .await
        .unwrap();
    assert_eq!(headline, "Designer");
    assert_eq!(
        search(&mut bea, "q=stone").await,
        ["Bea Stone"],
        "the search document follows the name"
    );
}

#[tokio::test]
async fn a_member_cannot_edit_or_remove_someone_elses_skill() {
    let (s, m) = space().await;
    let mut bea = s.app.signed_in("bea@example.org").await;
    let dee_skill: i64 = sqlx::query_scalar("select id from skills where membership_id = $1")
        .bind(m[3].0)
        .fetch_one(&s.app.db)
        .await
        .unwrap();
    bea.get("/s/harbour/profile/skills").await;
    let legal = s.legal.to_string();
    let edit = bea
        .post(
            &format!("/s/harbour/profile/skills/{dee_skill}"),
            &[
                ("name", "Hijacked"),
                ("category", &legal),
                ("level", "expert"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    let remove = bea
        .post(
            &format!("/s/harbour/profile/skills/{dee_skill}/remove"),
            &[],
        )
        .await;
    assert_eq!(remove.status, StatusCode::NOT_FOUND);
    assert_eq!(
        bea.get(&format!("/s/harbour/profile/skills/{dee_skill}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let name: String = sqlx::query_scalar("select name from skills where id = $1")
        .bind(dee_skill)
        .fetch_one(&s.app.db)
        .await
        .unwrap();
    assert_eq!(name, "Contract review");
}

#[tokio::test]
async fn a_profile_edit_without_a_csrf_token_is_refused() {
    let (s, _) = space().await;
    let mut bea = s.app.signed_in("bea@example.org").await;
    let raw = bea
        .post_raw(
            "/s/harbour/profile",
            &crate::helpers::encode(&[("display_name", "X"), ("presence", "open")]),
        )
        .await;
    assert_eq!(raw.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn outsiders_cannot_edit_profiles_or_skills_here() {
    let (s, _) = space().await;
    let other = s.app.space("other", SignupMode::Open).await;
    s.app
        .member(other, "olga@example.org", Role::Member, Status::Active)
        .await;
    let mut olga = s.app.signed_in("olga@example.org").await;
    let page = olga
        .post(
            "/s/harbour/profile",
            &[
                ("display_name", "Olga"),
                ("headline", "x"),
                ("bio", ""),
                ("presence", "open"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let legal = s.legal.to_string();
    let page = olga
        .post(
            "/s/harbour/profile/skills",
            &[("name", "x"), ("category", &legal), ("level", "expert")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

/// Cy, signed in, on the skills page.
async fn cy_editing_skills(s: &Space) -> Browser {
    let mut cy = s.app.signed_in("cy@example.org").await;
    cy.get("/s/harbour/profile/skills").await;
    cy
}

async fn add_design_skill(cy: &mut Browser, s: &Space, name: &str, level: &str) -> Page {
    let design = s.design.to_string();
    cy.post(
        "/s/harbour/profile/skills",
        &[
            ("name", name),
            ("category", &design),
            ("level", level),
            ("note", "Xero"),
        ],
    )
    .await
}

#[tokio::test]
async fn skills_are_added_edited_and_removed_after_a_confirmation() {
    let (s, _) = space().await;
    let mut cy = cy_editing_skills(&s).await;
    let added = add_design_skill(&mut cy, &s, "Bookkeeping", "learning").await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let id: i64 = sqlx::query_scalar("select id from skills where name = 'Bookkeeping'")
        .fetch_one(&s.app.db)
        .await
        .unwrap();
    let legal = s.legal.to_string();
    let edited = cy
        .post(
            &format!("/s/harbour/profile/skills/{id}"),
            &[
                ("name", "Bookkeeping"),
                ("category", &legal),
                ("level", "practised"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    let confirm = cy
        .get(&format!("/s/harbour/profile/skills/{id}/remove"))
        .await;
    assert!(confirm.has("Remove Bookkeeping from your profile"));
    let removed = cy
        .post(&format!("/s/harbour/profile/skills/{id}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        s.app
            .count("select count(*) from skills where name = 'Bookkeeping'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_second_skill_of_the_same_name_in_any_case_is_refused() {
    let (s, _) = space().await;
    let mut cy = cy_editing_skills(&s).await;
    let added = add_design_skill(&mut cy, &s, "Bookkeeping", "learning").await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let again = add_design_skill(&mut cy, &s, "bookkeeping", "expert").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.has("You already list a skill with that name"));
}

#[tokio::test]
async fn bad_skill_input_is_refused_with_the_form_refilled() {
    let (s, _) = space().await;
    let mut cy = cy_editing_skills(&s).await;
    let design = s.design.to_string();
    let before = s.app.count("select count(*) from skills").await;
    let long = "x".repeat(81);
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("name", &long), ("category", &design), ("level", "expert")],
            "Skill must be 80 characters or fewer",
        ),
        (
            &[
                ("name", "Knitting"),
                ("category", "999999"),
                ("level", "expert"),
            ],
            "Choose a category from the list",
        ),
        (
            &[
                ("name", "Knitting"),
                ("category", "abc"),
                ("level", "expert"),
            ],
            "Choose a category from the list",
        ),
        (
            &[
                ("name", "Knitting"),
                ("category", &design),
                ("level", "guru"),
            ],
            "Choose a level from the list",
        ),
    ];
    for (fields, message) in cases {
        let page = cy.post("/s/harbour/profile/skills", fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(page.has(message), "{message}");
        assert!(
            page.has(&format!("value=\"{}\"", fields[0].1)),
            "the name is kept: {message}\n{}",
            page.body
        );
    }
    assert_eq!(s.app.count("select count(*) from skills").await, before);
}

#[tokio::test]
async fn bad_profile_input_is_refused_with_the_form_refilled() {
    let (s, _) = space().await;
    let mut cy = s.app.signed_in("cy@example.org").await;
    cy.get("/s/harbour/profile").await;
    let long_bio = "b".repeat(2001);
    let page = cy
        .post(
            "/s/harbour/profile",
            &[
                ("display_name", "Cy"),
                ("headline", &"h".repeat(121)),
                ("bio", &long_bio),
                ("presence", "busy"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Headline must be 120 characters or fewer",
        "About you must be 2000 characters or fewer",
        "Choose your presence from the list",
    ] {
        assert!(page.has(message), "{message}");
    }
    assert!(page.has(&long_bio), "the bio is kept");
    let headline: String = sqlx::query_scalar("select headline from memberships m join people p on p.id = m.person_id where p.email = 'cy@example.org'")
        .fetch_one(&s.app.db)
        .await
        .unwrap();
    assert_eq!(headline, "Accountant");
}

#[tokio::test]
async fn a_profile_offers_to_send_credits_to_that_member_already_chosen() {
    let (s, m) = space().await;
    let dee = m[3].0;
    let mut ana = s.app.signed_in("ana@example.org").await;
    let profile = ana.get(&format!("/s/harbour/members/{dee}")).await;
    let link = format!("href=\"/s/harbour/credits/send?to={dee}\">Send credits</a>");
    assert!(profile.has(&link), "{}", profile.body);
    assert!(profile.has("Propose a trade"));
    let form = ana.get(&format!("/s/harbour/credits/send?to={dee}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.has(&format!(
            "<input type=\"hidden\" name=\"to\" value=\"{dee}\">"
        )),
        "{}",
        form.body
    );
    assert!(
        form.has("<p><strong>Dee</strong></p>"),
        "Dee is named as chosen"
    );
    assert!(!form.has("There is a problem"), "nothing was sent yet");
    // Not to oneself.
    let own = ana.get(&format!("/s/harbour/members/{}", m[0].0)).await;
    assert!(!own.has("Send credits"));
}
