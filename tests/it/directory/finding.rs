//! Finding people (issue 14 §2): a search that falls back to the words that match, a sort
//! that follows the search, the corrections and matched skills it names, an empty state
//! that says what to do next.

use axum::http::StatusCode;
use swapdesk::skills::db as skills_db;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::{add_skill, names, search, set_profile, space};
use crate::helpers::{Page, TestApp};

/// The value and words of the option a select shows as chosen.
fn selected(page: &Page, select: &str) -> (String, String) {
    let start = page
        .body
        .find(&format!("<select id=\"{select}\""))
        .unwrap_or_else(|| panic!("no select {select}"));
    let rest = &page.body[start..];
    let options = &rest[..rest.find("</select>").unwrap()];
    let option = options
        .split("<option ")
        .find(|o| o.contains(" selected>"))
        .unwrap_or_else(|| panic!("nothing chosen in {options}"));
    let value = option.split('"').nth(1).unwrap().to_owned();
    let words = option.split('>').nth(1).unwrap().split('<').next().unwrap();
    (value, words.to_owned())
}

/// Two lawyers whose headlines say "contracts" and "contract", and a bookkeeper; nobody
/// says "review".
async fn lawyers() -> TestApp {
    let app = TestApp::new().await;
    let id = app.space("harbour", SignupMode::Open).await;
    let legal = skills_db::create_category(&app.db, id, "Legal")
        .await
        .unwrap()
        .unwrap();
    app.member(id, "ana@example.org", Role::Member, Status::Active)
        .await;
    let (_, lena) = app
        .member(id, "lena@example.org", Role::Member, Status::Active)
        .await;
    let (_, omar) = app
        .member(id, "omar@example.org", Role::Member, Status::Active)
        .await;
    let (_, bob) = app
        .member(id, "bob@example.org", Role::Member, Status::Active)
        .await;
    set_profile(&app, lena, "Lawyer for contracts and leases", "", "open").await;
    set_profile(&app, omar, "Contract lawyer", "", "open").await;
    set_profile(&app, bob, "Bookkeeper", "", "open").await;
    add_skill(&app, id, omar, legal, "Employment law", "expert").await;
    app
}

#[tokio::test]
async fn a_search_that_no_one_matches_in_full_falls_back_to_the_words_that_match() {
    let app = lawyers().await;
    let mut ana = app.signed_in("ana@example.org").await;
    let mut both = search(&mut ana, "q=contract").await;
    both.sort();
    assert_eq!(both, ["Lena", "Omar"]);

    let page = ana.get("/s/harbour/directory?q=contract+review").await;
    assert_eq!(page.status, StatusCode::OK);
    let mut found = names(&page);
    found.sort();
    assert_eq!(found, ["Lena", "Omar"], "{}", page.body);
    assert!(
        page.has("No one matches all of “contract review”; showing members who match “contract”."),
        "{}",
        page.body
    );
    assert!(!page.has("No one matches yet"));
}

#[tokio::test]
async fn a_fallback_ranks_first_whoever_matches_more_of_the_words() {
    let app = lawyers().await;
    let mut ana = app.signed_in("ana@example.org").await;
    // Lena's headline has "contracts" and "leases"; Omar's only "contract".
    let page = ana
        .get("/s/harbour/directory?q=lease+contract+review")
        .await;
    assert_eq!(names(&page), ["Lena", "Omar"]);
    assert!(page.has("showing members who match “lease” or “contract”."));
    // Corrected words are named as corrected.
    let page = ana.get("/s/harbour/directory?q=contrct+reveiw").await;
    assert!(
        page.has("No one matches all of “contract reveiw”; showing members who match “contract”."),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn no_fallback_when_every_word_matches_someone_or_none_matches_anyone() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    // Cy matches "design" alone; Bea matches both words: only Bea, no fallback.
    let page = ana.get("/s/harbour/directory?q=logo+design").await;
    assert_eq!(names(&page), ["Bea"]);
    assert!(!page.has("No one matches all of"));
    // Neither word matches anyone: the empty state, no fallback.
    let page = ana.get("/s/harbour/directory?q=astrophysics+quantum").await;
    assert!(names(&page).is_empty());
    assert!(!page.has("No one matches all of") && page.has("No one matches yet"));
    // A "quoted phrase" asks for precision: no fallback.
    let page = ana
        .get("/s/harbour/directory?q=%22contract+negotiation%22")
        .await;
    assert!(names(&page).is_empty() && !page.has("No one matches all of"));
    // Words that only mean something together still fall back, to the one that matches.
    let page = ana.get("/s/harbour/directory?q=contract+negotiation").await;
    assert_eq!(names(&page), ["Dee"]);
}

#[tokio::test]
async fn the_sort_follows_the_search_unless_the_member_chose_one() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    // Without a search, the newest come first; the form sends that choice as "the default".
    let everyone = ana.get("/s/harbour/directory").await;
    assert_eq!(
        selected(&everyone, "sort"),
        (String::new(), "Newest members".to_owned())
    );
    assert_eq!(names(&everyone), ["Dee", "Cy", "Bea", "Ana"]);
    // Ana types "desgin" and submits the form as it stands: the designer comes first, not
    // Cy, the accountant who joined later and once took a course in design.
    let found = ana.get("/s/harbour/directory?q=desgin&sort=").await;
    assert_eq!(names(&found), ["Bea", "Cy"]);
    assert_eq!(
        selected(&found, "sort"),
        (String::new(), "Best match".to_owned())
    );
    // A sort the member chose stays chosen.
    let newest = ana.get("/s/harbour/directory?q=desgin&sort=newest").await;
    assert_eq!(names(&newest), ["Cy", "Bea"]);
    assert_eq!(
        selected(&newest, "sort"),
        ("newest".to_owned(), "Newest members".to_owned())
    );
}

#[tokio::test]
async fn a_corrected_search_says_what_it_searched_for_and_cards_name_the_matching_skill() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    let page = ana.get("/s/harbour/directory?q=desgin").await;
    assert!(page.has("Showing results for <strong>design</strong>."));
    assert!(page.has("Matches your search: <strong>Logo design</strong>"));
    // Cy matches by the bio only: no skill to name.
    assert_eq!(page.body.matches("Matches your search:").count(), 1);

    let page = ana.get("/s/harbour/directory?q=design").await;
    assert!(!page.has("Showing results for"), "nothing was corrected");

    let page = ana.get("/s/harbour/directory?q=contrct+reveiw").await;
    assert!(page.has("Showing results for <strong>contract review</strong>."));
    assert!(page.has("Matches your search: <strong>Contract review</strong>"));
    // A category's name matches too.
    let page = ana.get("/s/harbour/directory?q=legal").await;
    assert_eq!(names(&page), ["Dee"]);
    assert!(page.has("Matches your search: <strong>Contract review</strong>"));
    // Without a search there is nothing to match.
    let page = ana.get("/s/harbour/directory").await;
    assert!(!page.has("Matches your search:") && !page.has("Showing results for"));
}

#[tokio::test]
async fn an_empty_result_says_so_in_a_sentence_and_points_to_the_marketplace() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    let page = ana.get("/s/harbour/directory?q=astrophysics").await;
    assert!(page.has("No members match your search."), "{}", page.body);
    assert!(!page.has("found. match"));
    assert!(page.has("href=\"/s/harbour/market?q=astrophysics\""));
    assert!(page.has("href=\"/s/harbour/market/new?kind=request\""));
    let market = ana.get("/s/harbour/market?q=astrophysics").await;
    assert_eq!(market.status, StatusCode::OK);
    let request = ana.get("/s/harbour/market/new?kind=request").await;
    assert_eq!(request.status, StatusCode::OK);
    // Counts read as sentences.
    assert!(
        ana.get("/s/harbour/directory?q=dee")
            .await
            .has("1 member matches your search.")
    );
    assert!(ana.get("/s/harbour/directory").await.has("4 members."));
}

#[tokio::test]
async fn odd_search_words_never_fail() {
    let (s, _) = space().await;
    let mut ana = s.app.signed_in("ana@example.org").await;
    for q in [
        "the",
        "the+and+of",
        "%21%21%21",
        "%27%3A*+%26+%7C",
        "design+%28%29+%21",
        "a+b+c+d+e+f+g+h+i+j+k+l+m+n+o+p",
        "%E2%80%9Cdesign%E2%80%9D",
        "-",
        "%22",
        "design+or+logo",
    ] {
        let page = ana.get(&format!("/s/harbour/directory?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}: {}", page.body);
        let page = ana.get(&format!("/s/harbour/market?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}: {}", page.body);
    }
}
