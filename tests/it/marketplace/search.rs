//! Finding listings: words, typos forgiven, filters, pages, and what is never listed.

use axum::http::StatusCode;

use super::{World, insert, search, snapshot, sql, titles, world};

/// Three open listings that search should tell apart.
pub(super) async fn market() -> World {
    let w = world().await;
    insert(
        &w,
        w.bea,
        "offer",
        "Logo design for your startup",
        "Two rounds of changes, vector files included.",
        w.design,
    )
    .await;
    insert(
        &w,
        w.cy,
        "request",
        "Help with my tax return",
        "Self-employed, one rental flat.",
        w.finance,
    )
    .await;
    insert(
        &w,
        w.cy,
        "offer",
        "Bookkeeping for freelancers",
        "Receipts, invoices and a tidy ledger every month.",
        w.finance,
    )
    .await;
    w
}

fn sorted(mut titles: Vec<String>) -> Vec<String> {
    titles.sort();
    titles
}

#[tokio::test]
async fn words_in_a_title_or_a_description_find_the_listing() {
    let w = market().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    assert_eq!(
        search(&mut ana, "q=logo").await,
        ["Logo design for your startup"]
    );
    assert_eq!(
        search(&mut ana, "q=invoices").await,
        ["Bookkeeping for freelancers"]
    );
    assert_eq!(
        search(&mut ana, "q=tax+return").await,
        ["Help with my tax return"]
    );
    // Stemmed: "returns" finds "return".
    assert_eq!(
        search(&mut ana, "q=returns").await,
        ["Help with my tax return"]
    );
    let empty = ana.get("/s/harbour/market?q=astrophysics").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(titles(&empty).is_empty());
    assert!(
        empty.has("No open listings match your search.")
            && empty.has("Clear the search and filters")
    );
    assert!(empty.title().starts_with("Marketplace: astrophysics"));
}

#[tokio::test]
async fn search_forgives_a_typo() {
    let w = market().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    assert_eq!(
        search(&mut ana, "q=logp").await,
        ["Logo design for your startup"]
    );
    assert_eq!(
        search(&mut ana, "q=bookeeping").await,
        ["Bookkeeping for freelancers"]
    );
    assert_eq!(
        search(&mut ana, "q=invoces").await,
        ["Bookkeeping for freelancers"]
    );
}

#[tokio::test]
async fn a_phrase_and_a_minus_ask_for_precision() {
    let w = market().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    assert_eq!(
        search(&mut ana, "q=%22tax+return%22").await,
        ["Help with my tax return"]
    );
    assert_eq!(
        search(&mut ana, "q=%22return+tax%22").await,
        Vec::<String>::new()
    );
    assert_eq!(
        search(&mut ana, "q=freelancers+-logo").await,
        ["Bookkeeping for freelancers"]
    );
    assert_eq!(
        search(&mut ana, "q=design+-startup").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn the_kind_and_category_filters_narrow_the_list() {
    let w = market().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    assert_eq!(search(&mut ana, "").await.len(), 3);
    assert_eq!(
        search(&mut ana, "kind=request").await,
        ["Help with my tax return"]
    );
    assert_eq!(
        sorted(search(&mut ana, "kind=offer").await),
        [
            "Bookkeeping for freelancers",
            "Logo design for your startup"
        ]
    );
    assert_eq!(
        search(&mut ana, &format!("category={}", w.design)).await,
        ["Logo design for your startup"]
    );
    assert_eq!(
        search(&mut ana, &format!("category={}&kind=offer", w.finance)).await,
        ["Bookkeeping for freelancers"]
    );
    assert_eq!(
        search(&mut ana, &format!("category={}&q=logo", w.finance)).await,
        Vec::<String>::new()
    );
    // A filter that is not on the list is said so, not ignored.
    for (query, field, message) in [
        (
            "kind=gift",
            "kind",
            "Choose offers or requests from the list",
        ),
        (
            &format!("category={}", w.dock_design) as &str,
            "category",
            "Choose a category from the list",
        ),
        (
            "category=abc",
            "category",
            "Choose a category from the list",
        ),
    ] {
        let page = ana.get(&format!("/s/harbour/market?{query}")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(
            page.has(&format!("<a href=\"#{field}\">{message}</a>")),
            "{query}: {}",
            page.body
        );
    }
}

#[tokio::test]
async fn price_bounds_are_on_the_whole_price_and_sorting_by_price_is_cheapest_first() {
    let w = market().await;
    // Bea's logo: 5.00; Cy's tax return: 3.00 an hour for 4 hours, 12.00; bookkeeping 20.00.
    sqlx::query(
        "update listings set price_mode = 'hourly', price = 300, hours_estimate = 400
         where title = 'Help with my tax return'",
    )
    .execute(&w.app.db)
    .await
    .unwrap();
    sqlx::query("update listings set price = 2000 where title = 'Bookkeeping for freelancers'")
        .execute(&w.app.db)
        .await
        .unwrap();
    let mut ana = w.app.signed_in("ana@example.org").await;
    assert_eq!(
        search(&mut ana, "sort=price").await,
        [
            "Logo design for your startup",
            "Help with my tax return",
            "Bookkeeping for freelancers"
        ]
    );
    assert_eq!(
        search(&mut ana, "min=6&max=12").await,
        ["Help with my tax return"]
    );
    let page = ana.get("/s/harbour/market?min=20&max=5").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("The highest price must be at least the lowest"));
    let page = ana.get("/s/harbour/market?max=-3").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("Enter an amount above zero"));
}

#[tokio::test]
async fn here_today_lists_only_listings_of_members_checked_in_today() {
    let w = market().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    assert_eq!(search(&mut ana, "here=1").await, Vec::<String>::new());
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/profile").await;
    let done = bea
        .post("/s/harbour/profile/here", &[("here", "yes")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        search(&mut ana, "here=1").await,
        ["Logo design for your startup"]
    );
    let page = ana.get("/s/harbour/market").await;
    assert!(page.has("<strong>Here today</strong>"));
    // Yesterday's check-in is not today's.
    sql(
        &w.app,
        "update memberships set here_on = here_on - 1 where id = $1",
        w.bea.0,
    )
    .await;
    assert_eq!(search(&mut ana, "here=1").await, Vec::<String>::new());
}

#[tokio::test]
async fn pages_cover_every_listing_once_and_a_page_past_the_end_shows_the_last() {
    let w = world().await;
    for i in 0..45 {
        insert(
            &w,
            if i % 2 == 0 { w.bea } else { w.cy },
            "offer",
            &format!("Listing number {i:02}"),
            "Something useful.",
            w.design,
        )
        .await;
    }
    let mut ana = w.app.signed_in("ana@example.org").await;
    let mut seen = Vec::new();
    for page in 1..=3 {
        let found = search(&mut ana, &format!("page={page}")).await;
        assert_eq!(found.len(), if page < 3 { 20 } else { 5 }, "page {page}");
        seen.extend(found);
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 45, "{seen:?}");
    // Newest first by default.
    assert_eq!(seen.first().map(String::as_str), Some("Listing number 44"));
    let two = ana.get("/s/harbour/market?page=2").await;
    assert!(
        two.title().starts_with("Marketplace, page 2"),
        "{}",
        two.title()
    );
    assert!(two.has("45 listings"));
    // The same with a search: pages keep it.
    let found = ana.get("/s/harbour/market?q=useful&page=2").await;
    assert_eq!(titles(&found).len(), 20);
    assert!(found.has("q=useful"));
    // Far past the end, or nonsense: the last page, or the first.
    let last = search(&mut ana, "page=99").await;
    assert_eq!(last.len(), 5);
    for nonsense in ["page=0", "page=-4", "page=abc", "page=99999999999999999999"] {
        assert_eq!(search(&mut ana, nonsense).await.len(), 20, "{nonsense}");
    }
}

#[tokio::test]
async fn an_overlong_search_gets_a_clear_error() {
    let w = market().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let long = "logo ".repeat(41);
    let page = ana
        .get(&format!("/s/harbour/market?q={}", long.replace(' ', "+")))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("Search for at most 200 characters"));
    // Just under the limit is a search like any other.
    let fine = format!("{}logo", "a ".repeat(98));
    assert_eq!(fine.chars().count(), 200);
    let page = ana
        .get(&format!("/s/harbour/market?q={}", fine.replace(' ', "+")))
        .await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn strange_searches_never_fail() {
    let w = market().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let before = snapshot(&w.app).await;
    for q in [
        "%22",
        "%22%22",
        "%27",
        "-",
        "--",
        "-logo",
        "logo+-",
        "logo+--design",
        "%22logo",
        "logo%22+-%22design",
        "!%40%23%24%25%5E%26*()",
        "%3A*",
        "logo%3A*",
        "%26%7C!",
        "a%26b%7Cc",
        "%5C",
        "(((",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%27%3B+drop+table+listings%3B+--",
        "%C3%9F",
        "%E6%97%A5%E6%9C%AC%E8%AA%9E",
        "%F0%9F%8E%A8+logo",
        "%E2%80%AE",
        "l%C3%B6go",
        "%FF%FE",
        "%00",
        "%zz",
        "logo&q=design",
        "+++",
    ] {
        let page = ana.get(&format!("/s/harbour/market?q={q}")).await;
        assert!(
            page.status == StatusCode::OK || page.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            page.status
        );
        assert!(!page.has("<script>alert"), "{q}");
    }
    // Nonsense filters too.
    for query in [
        "kind=",
        "sort=cheapest",
        "here=yes",
        "min=%FF",
        "category=%00",
        "min=1e400",
    ] {
        let page = ana.get(&format!("/s/harbour/market?{query}")).await;
        assert!(
            page.status == StatusCode::OK || page.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            page.status
        );
    }
    assert_eq!(snapshot(&w.app).await, before);
}
