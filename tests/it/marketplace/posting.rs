//! Posting a listing through the form: what is saved, and how its page shows it.

use axum::http::StatusCode;
use swapdesk::spaces::db as spaces_db;

use super::{form, post_listing, world};

#[tokio::test]
async fn an_offer_posted_through_the_form_shows_on_its_page_with_its_fixed_price() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    let fields = form(
        &w,
        &[(
            "description",
            "Two rounds of changes.\r\nVector files included.",
        )],
    );
    let id = post_listing(&mut bea, &fields).await;

    let page = bea.get(&format!("/s/harbour/market/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Your listing is up in the marketplace."));
    assert!(page.title().starts_with("Logo design for your startup"));
    assert!(page.has("<h1>Logo design for your startup</h1>"));
    assert!(page.has("<p class=\"price lead\">12.50 hours</p>"));
    assert!(
        page.has("<span class=\"tag kind-offer\">Offer</span> <span class=\"muted\">Design</span>")
    );
    assert!(page.has("<span class=\"tag\">Open</span>"));
    assert!(page.has("Two rounds of changes.<br>Vector files included."));
    assert!(page.has(&format!("/s/harbour/market/{id}/edit")));

    let (kind, mode, price, hours, status, owner): (String, String, i64, Option<i32>, String, i64) =
        sqlx::query_as(
            "select kind, price_mode, price, hours_estimate, status, membership_id
             from listings where id = $1",
        )
        .bind(id)
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(
        (kind.as_str(), mode.as_str(), price, hours, status.as_str()),
        ("offer", "fixed", 1250, None, "open")
    );
    assert_eq!(owner, w.bea.0);

    // A neighbour sees it too, and can take it up.
    let mut cy = w.app.signed_in("cy@example.org").await;
    let seen = cy.get(&format!("/s/harbour/market/{id}")).await;
    assert!(seen.has("12.50 hours") && seen.has("I'd like this"));
    assert!(!seen.has(&format!("/s/harbour/market/{id}/edit")));
}

#[tokio::test]
async fn a_request_priced_by_the_hour_shows_the_hourly_price_times_the_hours() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    let fields = form(
        &w,
        &[
            ("kind", "request"),
            ("title", "Help with my tax return"),
            ("category", &w.finance.to_string()),
            ("price_mode", "hourly"),
            ("price", "4"),
            ("hours", "2.5"),
        ],
    );
    let id = post_listing(&mut bea, &fields).await;
    let (price, hours): (i64, Option<i32>) =
        sqlx::query_as("select price, hours_estimate from listings where id = $1")
            .bind(id)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!((price, hours), (400, Some(250)));

    let mut cy = w.app.signed_in("cy@example.org").await;
    let page = cy.get(&format!("/s/harbour/market/{id}")).await;
    assert!(page.has("Request") && page.has("Finance"));
    assert!(
        page.has("10.00 hours (4.00 hours an hour, about 2.50 hours)"),
        "{}",
        page.body
    );
    assert!(page.has("I can do this"));
    // The marketplace's card shows the same whole price.
    let market = cy.get("/s/harbour/market").await;
    assert!(market.has("Help with my tax return"));
    assert!(market.has("10.00 hours (4.00 hours an hour, about 2.50 hours)"));
}

#[tokio::test]
async fn hours_typed_beside_a_fixed_price_are_not_kept() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    let id = post_listing(&mut bea, &form(&w, &[("price", "30"), ("hours", "3")])).await;
    let hours: Option<i32> =
        sqlx::query_scalar("select hours_estimate from listings where id = $1")
            .bind(id)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!(hours, None);
    let page = bea.get(&format!("/s/harbour/market/{id}")).await;
    assert!(page.has("<p class=\"price lead\">30.00 hours</p>"));
}

#[tokio::test]
async fn the_longest_title_and_description_allowed_are_saved_whole() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    let title = "é".repeat(120);
    let description = "ü".repeat(4000);
    let id = post_listing(
        &mut bea,
        &form(&w, &[("title", &title), ("description", &description)]),
    )
    .await;
    let (saved_title, saved_description): (String, String) =
        sqlx::query_as("select title, description from listings where id = $1")
            .bind(id)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!((saved_title, saved_description), (title, description));
}

#[tokio::test]
async fn an_expiry_date_closes_the_listing_at_the_end_of_that_day_in_the_spaces_time_zone() {
    let w = world().await;
    sqlx::query("update spaces set time_zone = 'America/New_York' where id = $1")
        .bind(w.space.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    let today = spaces_db::today(&w.app.db, w.space).await.unwrap();
    let last_day = today + time::Duration::days(10);
    let mut bea = w.app.signed_in("bea@example.org").await;
    let id = post_listing(
        &mut bea,
        &form(&w, &[("expires_on", &last_day.to_string())]),
    )
    .await;
    let right: bool = sqlx::query_scalar(
        "select expires_at = (($2::date + 1)::timestamp at time zone 'America/New_York')
         from listings where id = $1",
    )
    .bind(id)
    .bind(last_day)
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert!(
        right,
        "the listing should close at midnight after {last_day}, New York time"
    );
    let page = bea.get(&format!("/s/harbour/market/{id}")).await;
    assert!(page.has(&format!("Open until the end of {last_day}")));
    // The edit form offers the same day back.
    let edit = bea.get(&format!("/s/harbour/market/{id}/edit")).await;
    assert!(edit.has(&format!("value=\"{last_day}\"")));
    // Today itself is a day it may close after.
    post_listing(&mut bea, &form(&w, &[("expires_on", &today.to_string())])).await;
}

#[tokio::test]
async fn what_a_member_writes_is_shown_as_text_never_as_html() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    let id = post_listing(
        &mut bea,
        &form(
            &w,
            &[
                ("title", "<b>Bold</b> & more"),
                ("description", "<script>alert(1)</script>\nline two"),
            ],
        ),
    )
    .await;
    let mut cy = w.app.signed_in("cy@example.org").await;
    for page in [
        cy.get(&format!("/s/harbour/market/{id}")).await,
        cy.get("/s/harbour/market").await,
        cy.get("/s/harbour/market?q=bold").await,
        bea.get("/s/harbour/market/mine").await,
        bea.get(&format!("/s/harbour/market/{id}/edit")).await,
    ] {
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.has("&#60;b&#62;Bold&#60;/b&#62; &#38; more"),
            "{}",
            page.body
        );
        assert!(!page.has("<b>Bold</b>") && !page.has("<script>alert(1)"));
    }
}
