//! Bad input on the listing form: refused beside its field, the form refilled, nothing
//! written, and never a server error (SPEC §8.7).

use axum::http::StatusCode;
use swapdesk::skills::db as skills_db;
use swapdesk::spaces::db as spaces_db;

use super::{World, form, post_listing, snapshot, submit, world};
use crate::helpers::{Browser, encode};

/// Posts a bad form and checks the answer: 422, the message beside its field and in the
/// summary, the rest of the input kept, and not a row written.
async fn refused(
    w: &World,
    browser: &mut Browser,
    changes: &[(&'static str, &str)],
    field: &str,
    message: &str,
) {
    let before = snapshot(&w.app).await;
    let fields = form(w, changes);
    let page = submit(browser, "/s/harbour/market", &fields).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{changes:?}: {}",
        page.body
    );
    assert!(page.has("There is a problem"), "{changes:?}");
    assert!(
        page.has(&format!("<a href=\"#{field}\">{message}")),
        "{changes:?}: expected “{message}” in the summary, for {field}: {}",
        page.body
    );
    assert!(
        page.has(&format!(
            "id=\"{field}-error\"><span class=\"visually-hidden\">Error:</span> {message}"
        )),
        "{changes:?}: expected “{message}” beside {field}"
    );
    // The rest of what was typed comes back.
    if field != "title" {
        let title = &fields.iter().find(|(n, _)| *n == "title").unwrap().1;
        assert!(
            page.has(&format!("value=\"{title}\"")),
            "{changes:?}: title not kept"
        );
    }
    if field != "description" {
        assert!(
            page.has(">Two rounds of changes.</textarea>"),
            "{changes:?}"
        );
    }
    assert_eq!(
        snapshot(&w.app).await,
        before,
        "{changes:?} wrote something"
    );
}

#[tokio::test]
async fn a_title_that_is_missing_or_too_long_is_refused() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/new").await;
    let enter = "Enter a title, like &#34;Logo for your startup&#34;";
    refused(&w, &mut bea, &[("title", "")], "title", enter).await;
    refused(&w, &mut bea, &[("title", "   \t ")], "title", enter).await;
    let long = "a".repeat(121);
    let page = submit(
        &mut bea,
        "/s/harbour/market",
        &form(&w, &[("title", &long)]),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.has(&format!("value=\"{long}\"")),
        "the long title is kept"
    );
    refused(
        &w,
        &mut bea,
        &[("title", &long)],
        "title",
        "Title must be 120 characters or fewer",
    )
    .await;
    refused(
        &w,
        &mut bea,
        &[("description", &"b".repeat(4001))],
        "description",
        "The description must be 4000 characters or fewer",
    )
    .await;
}

#[tokio::test]
async fn a_category_that_is_missing_unknown_retired_or_of_another_space_is_refused() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/new").await;
    let retired = skills_db::create_category(&w.app.db, w.space, "Old things")
        .await
        .unwrap()
        .unwrap();
    skills_db::set_category_retired(&w.app.db, w.space, retired, true)
        .await
        .unwrap();
    let choose = "Choose a category from the list";
    for category in [
        String::new(),
        "design".to_owned(),
        "-1".to_owned(),
        "99999999".to_owned(),
        "99999999999999999999999".to_owned(),
        w.dock_design.to_string(),
        retired.to_string(),
    ] {
        refused(&w, &mut bea, &[("category", &category)], "category", choose).await;
    }
    // The other space's category is not even offered.
    let new = bea.get("/s/harbour/market/new").await;
    assert!(!new.has(&format!("<option value=\"{}\"", w.dock_design)));
    assert!(!new.has("Old things"));
}

#[tokio::test]
async fn a_price_that_is_not_a_sensible_amount_is_refused() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/new").await;
    for (price, message) in [
        ("", "Enter an amount"),
        ("-5", "Enter an amount above zero"),
        ("0", "Enter an amount above zero"),
        ("0.00", "Enter an amount above zero"),
        ("twelve", "Enter the amount as a number, like 1.5 or 2.25"),
        ("1e3", "Enter the amount as a number, like 1.5 or 2.25"),
        ("12.", "Enter the amount as a number, like 1.5 or 2.25"),
        ("1,000.00", "Enter the amount as a number, like 1.5 or 2.25"),
        ("NaN", "Enter the amount as a number, like 1.5 or 2.25"),
        ("12.345", "Use at most two decimal places, like 1.25"),
        ("1000000.01", "Enter an amount of at most 1,000,000"),
        (
            "99999999999999999999999",
            "Enter an amount of at most 1,000,000",
        ),
    ] {
        refused(&w, &mut bea, &[("price", price)], "price", message).await;
    }
    // The same price per hour is refused the same way.
    refused(
        &w,
        &mut bea,
        &[("price_mode", "hourly"), ("price", "-1"), ("hours", "2")],
        "price",
        "Enter an amount above zero",
    )
    .await;
    // The largest amount is fine.
    let id = post_listing(&mut bea, &form(&w, &[("price", "1000000")])).await;
    assert!(id > 0);
}

#[tokio::test]
async fn an_hourly_price_needs_a_sensible_number_of_hours() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/new").await;
    let enter = "Enter how many hours you expect it to take, like 2 or 1.5";
    for hours in ["", "0", "-2", "two", "1.555", "100000", "1e2"] {
        refused(
            &w,
            &mut bea,
            &[("price_mode", "hourly"), ("price", "4"), ("hours", hours)],
            "hours",
            enter,
        )
        .await;
    }
}

#[tokio::test]
async fn an_hourly_price_whose_whole_comes_to_more_than_any_trade_can_carry_is_refused() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/new").await;
    // A million an hour for a thousand hours: each number is allowed, the whole is absurd.
    refused(
        &w,
        &mut bea,
        &[
            ("price_mode", "hourly"),
            ("price", "1000000"),
            ("hours", "1000"),
        ],
        "price",
        "The price times the hours must come to at most 1,000,000",
    )
    .await;
    // Right at the limit is fine.
    let id = post_listing(
        &mut bea,
        &form(
            &w,
            &[
                ("price_mode", "hourly"),
                ("price", "1000"),
                ("hours", "1000"),
            ],
        ),
    )
    .await;
    let page = bea.get(&format!("/s/harbour/market/{id}")).await;
    assert!(page.has("1000000.00 hours (1000.00 hours an hour"));
}

#[tokio::test]
async fn an_expiry_date_in_the_past_malformed_or_far_off_is_refused() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/new").await;
    let today = spaces_db::today(&w.app.db, w.space).await.unwrap();
    let message =
        "Enter a date from today on, within five years, like 2027-03-31, or leave it empty";
    let yesterday = (today - time::Duration::days(1)).to_string();
    let far = (today + time::Duration::days(6 * 366)).to_string();
    for date in [
        yesterday.as_str(),
        "2001-01-01",
        far.as_str(),
        "2027-02-30",
        "2027-13-01",
        "31/03/2027",
        "tomorrow",
        "2027-3-1x",
        "99999-01-01",
    ] {
        refused(&w, &mut bea, &[("expires_on", date)], "expires_on", message).await;
    }
}

#[tokio::test]
async fn a_kind_or_pricing_that_is_not_on_the_list_is_refused() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/new").await;
    for kind in ["", "service", "OFFER", "offer "] {
        refused(
            &w,
            &mut bea,
            &[("kind", kind)],
            "kind",
            "Choose whether this is an offer or a request",
        )
        .await;
    }
    for mode in ["", "monthly", "Hourly"] {
        refused(
            &w,
            &mut bea,
            &[("price_mode", mode)],
            "price_mode",
            "Choose how it is priced: a fixed price or a price per hour",
        )
        .await;
    }
}

#[tokio::test]
async fn every_mistake_at_once_is_listed_and_nothing_is_written() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/new").await;
    let before = snapshot(&w.app).await;
    let page = submit(
        &mut bea,
        "/s/harbour/market",
        &form(
            &w,
            &[
                ("kind", "gift"),
                ("title", ""),
                ("category", "x"),
                ("price_mode", "hourly"),
                ("price", "abc"),
                ("hours", ""),
                ("expires_on", "soon"),
            ],
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["kind", "title", "category", "price", "hours", "expires_on"] {
        assert!(page.has(&format!("<a href=\"#{field}\">")), "{field}");
        assert!(page.has(&format!("id=\"{field}-error\"")), "{field}");
    }
    // What was typed is kept, even where it was wrong.
    assert!(page.has("value=\"abc\"") && page.has("value=\"soon\""));
    assert!(page.has("<option value=\"hourly\" selected>"));
    assert_eq!(snapshot(&w.app).await, before);
}

#[tokio::test]
async fn unreadable_or_missing_fields_are_refused_without_a_server_error() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/new").await;
    let before = snapshot(&w.app).await;
    let csrf = bea.csrf.clone().unwrap();
    let design = w.design.to_string();
    let valid = encode(&[
        ("kind", "offer"),
        ("category", &design),
        ("price_mode", "fixed"),
        ("price", "5"),
        ("csrf", &csrf),
    ]);
    // Bad UTF-8, a NUL and a broken escape in the title; then no fields but the token.
    for body in [
        format!("{valid}&title=Logo%FF%FE"),
        format!("{valid}&title=Logo%00design"),
        format!("{valid}&title=Logo%zzdesign"),
        encode(&[("csrf", &csrf)]),
        format!("{valid}&title=Logo&title=Other&price=7"),
    ] {
        let page = bea.post_raw("/s/harbour/market", &body).await;
        assert!(
            page.status == StatusCode::UNPROCESSABLE_ENTITY || page.status == StatusCode::SEE_OTHER,
            "{body}: {}",
            page.status
        );
        if page.status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(page.has("There is a problem"), "{body}");
        }
    }
    // Only the last (repeated fields: the first of each counts) was a whole listing.
    let after: i64 = w.app.count("select count(*) from listings").await;
    assert_eq!(after, 1, "{before}");
    let (title, price): (String, i64) = sqlx::query_as("select title, price from listings")
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!((title.as_str(), price), ("Logo", 500));
    // A body that is not a form at all (it cannot carry the token either).
    let page = bea
        .post_bytes(
            "/s/harbour/market",
            b"{\"title\":1}".to_vec(),
            "application/json",
        )
        .await;
    assert!(
        page.status == StatusCode::UNSUPPORTED_MEDIA_TYPE || page.status == StatusCode::FORBIDDEN,
        "{}",
        page.status
    );
    assert_eq!(w.app.count("select count(*) from listings").await, 1);
}
