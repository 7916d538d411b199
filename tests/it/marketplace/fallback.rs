//! The marketplace reads a search as the directory does (issue 14 §2): a fallback to the
//! words that some listing matches, a named correction, a sort that follows the search.

use super::search::market;
use super::{search, titles};

#[tokio::test]
async fn a_search_no_listing_matches_in_full_falls_back_to_the_words_listings_match() {
    let w = market().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let page = ana.get("/s/harbour/market?q=logo+astrophysics").await;
    assert_eq!(titles(&page), ["Logo design for your startup"]);
    assert!(
        page.has("Nothing matches all of “logo astrophysics”; showing listings that match “logo”."),
        "{}",
        page.body
    );
    // Each word matches a different listing: both, and both words named.
    let page = ana.get("/s/harbour/market?q=tax+invoices").await;
    let mut found = titles(&page);
    found.sort();
    assert_eq!(
        found,
        ["Bookkeeping for freelancers", "Help with my tax return"]
    );
    assert!(page.has("showing listings that match “tax” or “invoices”."));
    // Bea's name matches Bea in the directory, but no listing: not a word listings match.
    let page = ana.get("/s/harbour/market?q=logo+bea").await;
    assert!(
        page.has("showing listings that match “logo”."),
        "{}",
        page.body
    );
    // Every word matches: no fallback.
    let page = ana.get("/s/harbour/market?q=tax+return").await;
    assert!(!page.has("Nothing matches all of"));
}

#[tokio::test]
async fn a_corrected_search_says_what_it_searched_for() {
    let w = market().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let page = ana.get("/s/harbour/market?q=logp").await;
    assert!(page.has("Showing results for <strong>logo</strong>."));
    let page = ana.get("/s/harbour/market?q=logo").await;
    assert!(!page.has("Showing results for"));
}

#[tokio::test]
async fn the_sort_follows_the_search_unless_the_member_chose_one() {
    let w = market().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let all = ana.get("/s/harbour/market").await;
    assert!(all.has("<option value=\"\" selected>Newest</option>"));
    let found = ana.get("/s/harbour/market?q=logo&sort=").await;
    assert!(found.has("<option value=\"\" selected>Best match</option>"));
    assert_eq!(
        search(&mut ana, "q=logo&sort=newest").await,
        ["Logo design for your startup"]
    );
    let chosen = ana.get("/s/harbour/market?q=logo&sort=newest").await;
    assert!(chosen.has("<option value=\"newest\" selected>Newest</option>"));
}
