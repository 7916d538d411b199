//! Bad input on the listing, propose and trade forms: 422 with the error beside its field
//! and the form refilled, or 400 for a value only a hand-made request sends; and nothing
//! written either way.

use axum::http::StatusCode;
use swapdesk::marketplace::model::ListingKind;
use swapdesk::skills::db as skills_db;
use swapdesk::spaces::model::SignupMode;
use swapdesk::trades::model::TradeId;

use super::{Stage, World, page_of};
use crate::helpers::{Browser, Page};

/// Sends `base` with one field replaced (or added).
async fn send(
    browser: &mut Browser,
    path: &str,
    base: &[(&str, &str)],
    change: &[(&str, &str)],
) -> Page {
    let mut fields: Vec<(&str, &str)> = base
        .iter()
        .filter(|(k, _)| !change.iter().any(|(c, _)| c == k))
        .copied()
        .collect();
    fields.extend_from_slice(change);
    browser.post(path, &fields).await
}

/// The page refuses the field, links to it from the error summary, and keeps `kept`.
fn refused(page: &Page, field: &str, kept: &str, what: &str) {
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
    assert!(
        page.has(&format!("href=\"#{field}\"")),
        "{what}: no error on {field}"
    );
    assert!(page.has(kept), "{what}: {kept:?} was not kept");
}

/// A date more than five years ahead: further than any form takes.
fn too_far(today: time::Date) -> String {
    (today + time::Duration::days(6 * 366)).to_string()
}

#[tokio::test]
async fn a_listing_with_a_bad_price_title_category_kind_mode_hours_or_date_is_refused() {
    let w = World::new().await;
    let other = w.app.space("other", SignupMode::Open).await;
    let elsewhere = skills_db::create_category(&w.app.db, other, "Design")
        .await
        .unwrap()
        .unwrap();
    let retired = skills_db::create_category(&w.app.db, w.space, "Typesetting")
        .await
        .unwrap()
        .unwrap();
    skills_db::set_category_retired(&w.app.db, w.space, retired, true)
        .await
        .unwrap();
    let today = w.today().await;
    let design = w.design.to_string();
    let base = [
        ("kind", "offer"),
        ("title", "Logo for your startup"),
        ("description", "Three drafts"),
        ("category", design.as_str()),
        ("price_mode", "fixed"),
        ("price", "5"),
        ("hours", ""),
        ("expires_on", ""),
    ];
    let (long_title, long_description) = ("t".repeat(121), "d".repeat(4001));
    let (elsewhere, retired) = (elsewhere.to_string(), retired.to_string());
    let (past, far) = ("2001-01-01".to_owned(), too_far(today));
    let hourly = ("price_mode", "hourly");
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("price", vec![("price", "0")]),
        ("price", vec![("price", "-5")]),
        ("price", vec![("price", "1000000.01")]),
        ("price", vec![("price", "99999999999999999999")]),
        ("price", vec![("price", "1e3")]),
        ("price", vec![("price", "")]),
        ("title", vec![("title", "")]),
        ("title", vec![("title", &long_title)]),
        ("description", vec![("description", &long_description)]),
        ("category", vec![("category", "999999")]),
        ("category", vec![("category", "design")]),
        ("category", vec![("category", &elsewhere)]),
        ("category", vec![("category", &retired)]),
        ("kind", vec![("kind", "gift")]),
        ("kind", vec![("kind", "")]),
        ("price_mode", vec![("price_mode", "weekly")]),
        ("hours", vec![hourly, ("hours", "")]),
        ("hours", vec![hourly, ("hours", "0")]),
        ("hours", vec![hourly, ("hours", "1000.01")]),
        ("expires_on", vec![("expires_on", &past)]),
        ("expires_on", vec![("expires_on", "tomorrow")]),
        ("expires_on", vec![("expires_on", &far)]),
    ];
    let mut cy = w.browser(w.cy).await;
    for (field, change) in &cases {
        let page = send(&mut cy, "/s/harbour/market", &base, change).await;
        let kept = if *field == "title" {
            "Three drafts"
        } else {
            "value=\"Logo for your startup\""
        };
        refused(&page, field, kept, &format!("{change:?}"));
    }
    assert_eq!(w.app.count("select count(*) from listings").await, 0);
    eprintln!("{} bad listings refused", cases.len());
    let posted = send(&mut cy, "/s/harbour/market", &base, &[]).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    assert_eq!(w.app.count("select count(*) from listings").await, 1);
}

#[tokio::test]
async fn an_unknown_listing_status_is_a_bad_request() {
    let w = World::new().await;
    let listing = w.listing(w.cy, ListingKind::Offer, None).await;
    let mut cy = w.browser(w.cy).await;
    let path = format!("/s/harbour/market/{listing}/status");
    for status in ["archived", "", "OPEN"] {
        let page = cy.post(&path, &[("status", status)]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{status:?}");
    }
    let status: String = sqlx::query_scalar("select status from listings")
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(status, "open");
}

#[tokio::test]
async fn a_proposal_with_a_bad_amount_description_date_or_direction_is_refused() {
    let w = World::new().await;
    let today = w.today().await;
    let cy = w.cy.member.0.to_string();
    let base = [
        ("with", cy.as_str()),
        ("direction", "they"),
        ("description", "A logo for the bakery"),
        ("amount", "5"),
        ("due_on", ""),
    ];
    let long = "d".repeat(2001);
    let far = too_far(today);
    let cases: Vec<(&str, (&str, &str))> = vec![
        ("amount", ("amount", "0")),
        ("amount", ("amount", "-3")),
        ("amount", ("amount", "1000000.01")),
        ("amount", ("amount", "99999999999999999999")),
        ("amount", ("amount", "5.555")),
        ("amount", ("amount", "lots")),
        ("amount", ("amount", "")),
        ("description", ("description", "")),
        ("description", ("description", &long)),
        ("due_on", ("due_on", "2001-01-01")),
        ("due_on", ("due_on", "soon")),
        ("due_on", ("due_on", &far)),
        ("direction", ("direction", "both")),
        ("direction", ("direction", "")),
    ];
    let mut bea = w.browser(w.bea).await;
    for (field, change) in &cases {
        let page = send(&mut bea, "/s/harbour/trades", &base, &[*change]).await;
        let kept = if *field == "description" {
            "value=\"5\""
        } else {
            "A logo for the bakery"
        };
        refused(&page, field, kept, &format!("{change:?}"));
    }
    // On a listing, too.
    let listing = w.listing(w.cy, ListingKind::Offer, None).await.to_string();
    let on_listing = [
        ("listing", listing.as_str()),
        ("description", "A logo for the bakery"),
        ("amount", "0"),
    ];
    let page = send(&mut bea, "/s/harbour/trades", &on_listing, &[]).await;
    refused(
        &page,
        "amount",
        "A logo for the bakery",
        "a zero amount on a listing",
    );
    assert_eq!(w.app.count("select count(*) from trades").await, 0);
    eprintln!("{} bad proposals refused", cases.len() + 1);
    let sent = send(&mut bea, "/s/harbour/trades", &base, &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
}

async fn act(browser: &mut Browser, trade: TradeId, fields: &[(&str, &str)]) -> Page {
    browser
        .post(&format!("{}/act", page_of(trade)), fields)
        .await
}

#[tokio::test]
async fn an_unknown_trade_action_is_a_bad_request_and_changes_nothing() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Proposed).await;
    let before = w.digest().await;
    let mut bea = w.browser(w.bea).await;
    for action in ["explode", "", "Accept", "accept "] {
        let page = act(&mut bea, trade, &[("action", action)]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{action:?}");
        assert!(page.has("That is not something a trade can do."));
    }
    assert_eq!(w.digest().await, before);
}

#[tokio::test]
async fn bad_counter_terms_a_missing_reason_or_a_bad_resolution_are_refused() {
    let w = World::new().await;
    let proposed = w.trade_in(Stage::Proposed).await;
    let delivered = w.trade_in(Stage::Delivered).await;
    let disputed = w.trade_in(Stage::Disputed).await;
    let before = w.digest().await;
    let mut bea = w.browser(w.bea).await;
    let counter = [
        ("action", "counter"),
        ("description", "Two logos"),
        ("amount", "0"),
    ];
    let page = act(&mut bea, proposed, &counter).await;
    refused(
        &page,
        "amount",
        "Two logos",
        "a counter-proposal for nothing",
    );
    let long = "n".repeat(2001);
    for note in ["", "   ", long.as_str()] {
        let page = act(
            &mut bea,
            delivered,
            &[("action", "dispute"), ("note", note)],
        )
        .await;
        refused(
            &page,
            "note",
            "Open a dispute",
            "a dispute without a fair reason",
        );
    }
    let mut ana = w.browser(w.ana).await;
    let reason = ("note", "Seen both sides");
    for (field, resolution, part) in [
        ("resolution", "half", ""),
        ("resolution", "", ""),
        ("part", "part", "5"),
        ("part", "part", "6"),
        ("part", "part", "0"),
        ("part", "part", "some"),
    ] {
        let fields = [
            ("action", "resolve"),
            ("resolution", resolution),
            ("part", part),
            reason,
        ];
        let page = act(&mut ana, disputed, &fields).await;
        refused(
            &page,
            field,
            "Seen both sides",
            &format!("{resolution} {part}"),
        );
    }
    let page = act(
        &mut ana,
        disputed,
        &[("action", "resolve"), ("resolution", "void")],
    )
    .await;
    refused(
        &page,
        "note",
        "Resolve the dispute",
        "a resolution without a reason",
    );
    assert_eq!(w.digest().await, before);
}
