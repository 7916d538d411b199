//! Profiles, skills, categories and the directory (SPEC §2).

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

#[tokio::test]
async fn an_exact_skill_ranks_above_a_mention_in_a_bio() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    assert_eq!(search(&mut ana, "q=design").await, ["Bea", "Cy"]);
    assert_eq!(search(&mut ana, "q=logo+design").await, ["Bea"]);
}

#[tokio::test]
async fn search_forgives_typos_and_understands_quotes_and_minus() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    assert_eq!(
        search(&mut ana, "q=desgin")
            .await
            .first()
            .map(String::as_str),
        Some("Bea")
    );
    assert_eq!(
        search(&mut ana, "q=contrct+reveiw")
            .await
            .first()
            .map(String::as_str),
        Some("Dee")
    );
    assert_eq!(search(&mut ana, "q=%22graphic+design%22").await, ["Cy"]);
    assert_eq!(search(&mut ana, "q=design+-logo").await, ["Cy"]);
    assert_eq!(
        search(&mut ana, "q=design+-logos").await,
        ["Cy"],
        "exclusions hold across stemming"
    );
    // Names are found too.
    assert_eq!(search(&mut ana, "q=dee").await, ["Dee"]);
}

#[tokio::test]
async fn every_filter_narrows_the_list() {
    let (s, m) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    assert_eq!(
        search(&mut ana, &format!("category={}", s.design)).await,
        ["Bea"]
    );
    assert_eq!(
        search(&mut ana, &format!("category={}", s.legal)).await,
        ["Dee"]
    );
    assert_eq!(
        search(&mut ana, &format!("category={}&level=practised", s.design)).await,
        Vec::<String>::new()
    );
    assert_eq!(search(&mut ana, "level=practised").await, ["Dee"]);
    assert_eq!(search(&mut ana, "presence=heads_down").await, ["Cy"]);
    assert_eq!(search(&mut ana, "presence=away").await, ["Dee"]);
    assert_eq!(search(&mut ana, "here=1").await, Vec::<String>::new());
    // Checking in shows Bea as here today; yesterday's check-in no longer counts.
    let mut bea = s.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/profile").await;
    let done = bea
        .post("/s/harbour/profile/here", &[("here", "yes")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(search(&mut ana, "here=1").await, ["Bea"]);
    sqlx::query("update memberships set here_on = here_on - 1 where id = $1")
        .bind(m[1].0)
        .execute(&s.app.db)
        .await
        .unwrap();
    assert_eq!(search(&mut ana, "here=1").await, Vec::<String>::new());
    let empty = ana.get("/s/harbour/directory?q=astrophysics").await;
    assert!(empty.has("No one matches yet") && empty.has("Clear the search and filters"));
}

#[tokio::test]
async fn sorts_by_relevance_kudos_and_newest_with_a_stable_order() {
    let (s, m) = space().await;
    sqlx::query("update memberships set kudos_count = 5 where id = $1")
        .bind(m[3].0)
        .execute(&s.app.db)
        .await
        .unwrap();
    sqlx::query("update memberships set kudos_count = 2 where id = $1")
        .bind(m[2].0)
        .execute(&s.app.db)
        .await
        .unwrap();
    let mut ana = s.app.signed_in("ana@example.org").await;
    assert_eq!(
        search(&mut ana, "sort=kudos").await,
        ["Dee", "Cy", "Ana", "Bea"]
    );
    assert_eq!(
        search(&mut ana, "sort=newest").await,
        ["Dee", "Cy", "Bea", "Ana"]
    );
    assert_eq!(
        search(&mut ana, "q=design&sort=relevance").await,
        ["Bea", "Cy"]
    );
    // The same search twice lists the same order.
    assert_eq!(
        search(&mut ana, "sort=kudos").await,
        search(&mut ana, "sort=kudos").await
    );
}

#[tokio::test]
async fn pages_cover_everyone_once_at_the_edges() {
    let (s, _) = space().await;
    for i in 0..38 {
        s.app
            .member(
                s.id,
                &format!("extra{i:02}@example.org"),
                Role::Member,
                Status::Active,
            )
            .await;
    }
    let mut ana = s.app.signed_in("ana@example.org").await;
    let first = ana.get("/s/harbour/directory?sort=newest").await;
    assert!(first.has("42 members") && first.has("Page 1 of 3"));
    let mut seen = names(&first);
    assert_eq!(seen.len(), 20);
    seen.extend(search(&mut ana, "sort=newest&page=2").await);
    let last = search(&mut ana, "sort=newest&page=3").await;
    assert_eq!(last.len(), 2);
    seen.extend(last);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 42, "nobody twice, nobody missing");
    // A page past the end shows the last page, not an empty "no matches".
    let beyond = ana.get("/s/harbour/directory?sort=newest&page=9").await;
    assert!(beyond.has("Page 3 of 3") && beyond.has("42 members"));
    assert_eq!(names(&beyond).len(), 2);
    assert_eq!(
        ana.get("/s/harbour/directory?page=-3").await.status,
        StatusCode::OK
    );
    assert_eq!(
        ana.get("/s/harbour/directory?page=abc").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn nobody_pending_suspended_or_from_another_space_is_listed() {
    let (s, _) = space().await;
    let other = s.app.space("other", SignupMode::Open).await;
    let other_design = skills_db::create_category(&s.app.db, other, "Design")
        .await
        .unwrap()
        .unwrap();
    let (_, olga) = s
        .app
        .member(other, "olga@example.org", Role::Admin, Status::Active)
        .await;
    add_skill(&s.app, other, olga, other_design, "Logo design", "expert").await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    let everyone = search(&mut ana, "").await;
    assert_eq!(everyone.len(), 4);
    for hidden in ["Pending", "Suspended", "Olga"] {
        assert!(!everyone.iter().any(|n| n == hidden), "{hidden} listed");
    }
    assert_eq!(search(&mut ana, "q=logo").await, ["Bea"]);
    // Another space's category id is not a filter here.
    let page = ana
        .get(&format!("/s/harbour/directory?category={other_design}"))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Profiles of members who are not active here are not found.
    let pending: i64 = sqlx::query_scalar("select m.id from memberships m join people p on p.id = m.person_id where p.email = 'pending@example.org'")
        .fetch_one(&s.app.db)
        .await
        .unwrap();
    assert_eq!(
        ana.get(&format!("/s/harbour/members/{pending}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        ana.get(&format!("/s/harbour/members/{}", olga.0))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // And outsiders see no directory at all.
    let mut olga_browser = s.app.signed_in("olga@example.org").await;
    assert_eq!(
        olga_browser.get("/s/harbour/directory").await.status,
        StatusCode::FORBIDDEN
    );
}

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
async fn members_edit_only_their_own_profile_and_skills() {
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

    // Dee's skill cannot be edited or removed through Bea's session.
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

    // Without a CSRF token nothing changes; outsiders cannot edit here at all.
    let raw = bea
        .post_raw(
            "/s/harbour/profile",
            &crate::helpers::encode(&[("display_name", "X"), ("presence", "open")]),
        )
        .await;
    assert_eq!(raw.status, StatusCode::FORBIDDEN);
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
    let page = olga
        .post(
            "/s/harbour/profile/skills",
            &[("name", "x"), ("category", &legal), ("level", "expert")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn skills_are_added_edited_and_removed_after_a_confirmation() {
    let (s, _) = space().await;
    let mut cy = s.app.signed_in("cy@example.org").await;
    cy.get("/s/harbour/profile/skills").await;
    let design = s.design.to_string();
    let added = cy
        .post(
            "/s/harbour/profile/skills",
            &[
                ("name", "Bookkeeping"),
                ("category", &design),
                ("level", "learning"),
                ("note", "Xero"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let again = cy
        .post(
            "/s/harbour/profile/skills",
            &[
                ("name", "bookkeeping"),
                ("category", &design),
                ("level", "expert"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.has("You already list a skill with that name"));
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
async fn bad_skill_and_profile_input_is_refused_with_the_form_refilled() {
    let (s, _) = space().await;
    let mut cy = s.app.signed_in("cy@example.org").await;
    cy.get("/s/harbour/profile/skills").await;
    let design = s.design.to_string();
    let before = s.app.count("select count(*) from skills").await;
    let long = "x".repeat(81);
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("name", &long), ("category", &design), ("level", "expert")],
            "Name must be 80 characters or fewer",
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
            "Choose Level from the list",
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
        "Choose Presence from the list",
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
async fn admins_manage_categories_and_a_retired_one_keeps_its_skills() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    ana.get("/s/harbour/admin/categories").await;
    let made = ana
        .post("/s/harbour/admin/categories", &[("name", "Coaching")])
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let dup = ana
        .post("/s/harbour/admin/categories", &[("name", "design")])
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.has("A category with that name already exists"));
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
    // Retired: not offered for new skills, but Bea keeps hers and is still found.
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
    assert_eq!(search(&mut cy, "q=logo").await, ["Bea"]);
    assert_eq!(
        search(&mut cy, "q=visual").await,
        ["Bea"],
        "renaming refreshes the search"
    );
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
    // Members cannot manage categories.
    let page = cy
        .post("/s/harbour/admin/categories", &[("name", "Mine")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}
