//! Finding members: search, filters, sorting, pages, and who is never listed.

use axum::http::StatusCode;
use swapdesk::skills::db as skills_db;
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, Status};

use super::{Space, add_skill, names, search, space};

#[tokio::test]
async fn an_exact_skill_ranks_above_a_mention_in_a_bio() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    assert_eq!(search(&mut ana, "q=design").await, ["Bea", "Cy"]);
    assert_eq!(search(&mut ana, "q=logo+design").await, ["Bea"]);
}

#[tokio::test]
async fn search_forgives_typos() {
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
}

#[tokio::test]
async fn search_matches_a_quoted_phrase_as_a_whole() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    assert_eq!(search(&mut ana, "q=%22graphic+design%22").await, ["Cy"]);
}

#[tokio::test]
async fn search_leaves_out_words_after_a_minus_in_any_form() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    assert_eq!(search(&mut ana, "q=design+-logo").await, ["Cy"]);
    assert_eq!(
        search(&mut ana, "q=design+-logos").await,
        ["Cy"],
        "exclusions hold across stemming"
    );
}

#[tokio::test]
async fn search_finds_members_by_name() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    assert_eq!(search(&mut ana, "q=dee").await, ["Dee"]);
}

#[tokio::test]
async fn every_filter_narrows_the_list() {
    let (s, _) = space().await;
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
}

#[tokio::test]
async fn a_check_in_lists_a_member_as_here_today_and_not_the_day_after() {
    let (s, m) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
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
}

#[tokio::test]
async fn a_search_with_no_matches_says_how_to_widen_it() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
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
    // Each page has a title of its own (SPEC §10.2).
    assert!(
        first.title().starts_with("Directory ·"),
        "{}",
        first.title()
    );
    let second = ana.get("/s/harbour/directory?sort=newest&page=2").await;
    assert!(
        second.title().starts_with("Directory, page 2 ·"),
        "{}",
        second.title()
    );
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

/// A second space with its own Design category, and Olga, its admin, who lists logo design
/// there. Returns that category and Olga's membership.
async fn another_space(s: &Space) -> (swapdesk::skills::model::CategoryId, MembershipId) {
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
    (other_design, olga)
}

#[tokio::test]
async fn nobody_pending_suspended_or_from_another_space_is_listed() {
    let (s, _) = space().await;
    another_space(&s).await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    let everyone = search(&mut ana, "").await;
    assert_eq!(everyone.len(), 4);
    for hidden in ["Pending", "Suspended", "Olga"] {
        assert!(!everyone.iter().any(|n| n == hidden), "{hidden} listed");
    }
    assert_eq!(search(&mut ana, "q=logo").await, ["Bea"]);
}

#[tokio::test]
async fn another_spaces_category_is_not_a_filter_here() {
    let (s, _) = space().await;
    let (other_design, _) = another_space(&s).await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    let page = ana
        .get(&format!("/s/harbour/directory?category={other_design}"))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn profiles_of_people_not_active_here_are_not_found() {
    let (s, _) = space().await;
    let (_, olga) = another_space(&s).await;
    let mut ana = s.app.signed_in("ana@example.org").await;
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
}

#[tokio::test]
async fn outsiders_see_no_directory() {
    let (s, _) = space().await;
    another_space(&s).await;
    let mut olga = s.app.signed_in("olga@example.org").await;
    assert_eq!(
        olga.get("/s/harbour/directory").await.status,
        StatusCode::FORBIDDEN
    );
}
