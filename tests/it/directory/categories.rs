//! Skill categories: admins make, rename and retire them; a retired one keeps its skills.

use axum::http::StatusCode;

use super::{Space, search, space};
use crate::helpers::{Browser, Page};

async fn create_category(ana: &mut Browser, name: &str) -> Page {
    ana.post("/s/harbour/admin/categories", &[("name", name)])
        .await
}

/// Ana adds Coaching, renames Design to Visual design, and retires it.
async fn coaching_added_and_design_renamed_and_retired(s: &Space) {
    let mut ana = s.app.signed_in("ana@example.org").await;
    ana.get("/s/harbour/admin/categories").await;
    let made = create_category(&mut ana, "Coaching").await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let renamed = ana
        .post(
            &format!("/s/harbour/admin/categories/{}/rename", s.design),
            &[("name", "Visual design")],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    let retired = ana
        .post(
            &format!("/s/harbour/admin/categories/{}/retire", s.design),
            &[],
        )
        .await;
    assert_eq!(retired.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_category_name_already_taken_in_any_case_is_refused() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    ana.get("/s/harbour/admin/categories").await;
    let made = create_category(&mut ana, "Coaching").await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let dup = create_category(&mut ana, "design").await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.has("A category with that name already exists"));
}

#[tokio::test]
async fn a_retired_category_is_not_offered_for_new_skills() {
    let (s, _) = space().await;
    coaching_added_and_design_renamed_and_retired(&s).await;
    let mut cy = s.app.signed_in("cy@example.org").await;
    let form = cy.get("/s/harbour/profile/skills").await;
    assert!(!form.has("Visual design") && form.has("Coaching"));
    let design = s.design.to_string();
    let refused = cy
        .post(
            "/s/harbour/profile/skills",
            &[
                ("name", "Posters"),
                ("category", &design),
                ("level", "expert"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_retired_categorys_skills_are_still_found_and_under_its_new_name() {
    let (s, _) = space().await;
    coaching_added_and_design_renamed_and_retired(&s).await;
    let mut cy = s.app.signed_in("cy@example.org").await;
    assert_eq!(search(&mut cy, "q=logo").await, ["Bea"]);
    assert_eq!(
        search(&mut cy, "q=visual").await,
        ["Bea"],
        "renaming refreshes the search"
    );
}

#[tokio::test]
async fn making_renaming_and_retiring_a_category_are_audited() {
    let (s, _) = space().await;
    coaching_added_and_design_renamed_and_retired(&s).await;
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where action like 'category.%' order by id",
    )
    .fetch_all(&s.app.db)
    .await
    .unwrap();
    assert_eq!(
        actions,
        ["category.created", "category.renamed", "category.retired"]
    );
}

#[tokio::test]
async fn members_cannot_manage_categories() {
    let (s, _) = space().await;
    let mut cy = s.app.signed_in("cy@example.org").await;
    cy.get("/s/harbour/profile/skills").await;
    let page = cy
        .post("/s/harbour/admin/categories", &[("name", "Mine")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn retiring_a_category_asks_first_and_says_what_happens() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    let path = format!("/s/harbour/admin/categories/{}/retire", s.design);
    let list = ana.get("/s/harbour/admin/categories").await;
    assert!(list.has(&format!("href=\"{path}\">Retire Design…</a>")));
    assert!(
        !list.has(&format!("action=\"{path}\"")),
        "the list itself retires nothing"
    );
    let ask = ana.get(&path).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.title().starts_with("Retire Design?"));
    let skills = s
        .app
        .count(&format!(
            "select count(*) from skills where category_id = {}",
            s.design.0
        ))
        .await;
    assert!(skills > 1);
    assert!(
        ask.has(&format!("The {skills} skills filed under it keep it.")),
        "{}",
        ask.body
    );
    assert!(ask.has(&format!("action=\"{path}\"")) && ask.has(">Retire Design</button>"));
    let retired = format!(
        "select count(*) from skill_categories where id = {} and retired_at is not null",
        s.design.0
    );
    assert_eq!(s.app.count(&retired).await, 0, "asking changes nothing");
    let done = ana.post(&path, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(s.app.count(&retired).await, 1);
    // Nothing left to ask about: back to the list, which offers it again.
    let again = ana.get(&path).await;
    assert_eq!(again.location(), "/s/harbour/admin/categories");
    assert!(
        ana.get("/s/harbour/admin/categories")
            .await
            .has("Offer Design again")
    );
    assert_eq!(
        ana.get("/s/harbour/admin/categories/999999/retire")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let legal = format!("/s/harbour/admin/categories/{}/retire", s.legal);
    s.app.person("stranger@example.org", "Stranger").await;
    for email in ["cy@example.org", "stranger@example.org"] {
        let mut who = s.app.signed_in(email).await;
        assert_eq!(
            who.get(&legal).await.status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
        assert_eq!(
            who.post(&legal, &[]).await.status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
    }
    assert_eq!(
        s.app
            .count("select count(*) from skill_categories where retired_at is not null")
            .await,
        1
    );
}

#[tokio::test]
async fn a_category_name_fits_its_rename_field() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    let list = ana.get("/s/harbour/admin/categories").await;
    assert!(list.has("value=\"Design\" class=\"category-name\""));
    assert!(!list.has("class=\"short\""));
    let css = ana.get("/static/app.css").await;
    assert!(css.body.contains("input.category-name { width: 22rem;"));
}
