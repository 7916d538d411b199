//! A member's own listings: the "mine" page, pausing, closing and reopening, and editing.

use axum::http::StatusCode;
use swapdesk::skills::db as skills_db;

use super::{form, insert, post_listing, search, snapshot, sql, submit, world};

async fn status_of(app: &crate::helpers::TestApp, id: i64) -> String {
    sqlx::query_scalar("select status from listings where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn mine_lists_every_own_listing_with_its_status_open_first() {
    let w = world().await;
    let closed = insert(&w, w.bea, "offer", "Closed poster", "", w.design).await;
    let open = insert(
        &w,
        w.bea,
        "request",
        "Open request for a logo",
        "",
        w.design,
    )
    .await;
    let paused = insert(&w, w.bea, "offer", "Paused flyer", "", w.design).await;
    insert(&w, w.cy, "offer", "Cy bookkeeping", "", w.finance).await;
    sql(
        &w.app,
        "update listings set status = 'closed' where id = $1",
        closed,
    )
    .await;
    sql(
        &w.app,
        "update listings set status = 'paused' where id = $1",
        paused,
    )
    .await;

    let mut bea = w.app.signed_in("bea@example.org").await;
    let page = bea.get("/s/harbour/market/mine").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.title().starts_with("Your listings"));
    assert!(!page.has("Cy bookkeeping"));
    let rows: Vec<&str> = page.body.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 3, "{}", page.body);
    for (row, (id, title, status)) in rows.iter().zip([
        (open, "Open request for a logo", "Open"),
        (paused, "Paused flyer", "Paused"),
        (closed, "Closed poster", "Closed"),
    ]) {
        assert!(row.contains(title), "{title} in {row}");
        assert!(
            row.contains(&format!("<td>{status}</td>")),
            "{status} in {row}"
        );
        assert!(row.contains("5.00 hours"));
        assert!(row.contains(&format!("/s/harbour/market/{id}/edit")));
    }
    // Each row offers the moves its status allows.
    assert!(rows[0].contains("value=\"paused\"") && rows[0].contains("value=\"closed\""));
    assert!(rows[1].contains("value=\"open\"") && rows[1].contains("value=\"closed\""));
    assert!(rows[2].contains("value=\"open\"") && !rows[2].contains("value=\"paused\""));

    // Someone with none is told what to do next.
    let mut ana = w.app.signed_in("ana@example.org").await;
    let empty = ana.get("/s/harbour/market/mine").await;
    assert!(empty.has("You have no listings yet"));
    assert!(empty.has("/s/harbour/market/new?kind=request"));
}

#[tokio::test]
async fn pausing_closing_and_reopening_change_what_neighbours_find() {
    let w = world().await;
    let id = insert(&w, w.bea, "offer", "Logo design", "", w.design).await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    let mut cy = w.app.signed_in("cy@example.org").await;
    bea.get("/s/harbour/market/mine").await;
    let path = format!("/s/harbour/market/{id}/status");
    for (status, label, listed) in [
        ("paused", "Paused", false),
        ("open", "Open", true),
        ("closed", "Closed", false),
        ("open", "Open", true),
    ] {
        let done = bea.post(&path, &[("status", status)]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{status}");
        assert_eq!(done.location(), format!("/s/harbour/market/{id}"));
        assert_eq!(status_of(&w.app, id).await, status);
        let page = bea.get(done.location()).await;
        assert!(page.has("Your listing is saved."));
        assert!(page.has(&format!("<span class=\"tag\">{label}</span>")));
        assert_eq!(
            search(&mut cy, "q=logo").await == ["Logo design"],
            listed,
            "{status}"
        );
        let seen = cy.get(&format!("/s/harbour/market/{id}")).await;
        assert_eq!(seen.has("I'd like this"), listed, "{status}");
    }
}

#[tokio::test]
async fn a_status_that_is_not_on_the_list_is_refused_and_changes_nothing() {
    let w = world().await;
    let id = insert(&w, w.bea, "offer", "Logo design", "", w.design).await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/mine").await;
    let before = snapshot(&w.app).await;
    for status in ["", "deleted", "OPEN", "hidden", "closed "] {
        let page = bea
            .post(
                &format!("/s/harbour/market/{id}/status"),
                &[("status", status)],
            )
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{status}");
        assert!(page.has("Choose open, paused or closed."));
    }
    assert_eq!(snapshot(&w.app).await, before);
}

#[tokio::test]
async fn reopening_a_listing_past_its_date_clears_the_date() {
    let w = world().await;
    let id = insert(&w, w.bea, "offer", "Logo design", "", w.design).await;
    sql(
        &w.app,
        "update listings set expires_at = now() - interval '1 day', status = 'closed'
         where id = $1",
        id,
    )
    .await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    bea.get("/s/harbour/market/mine").await;
    let done = bea
        .post(
            &format!("/s/harbour/market/{id}/status"),
            &[("status", "open")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let (status, expires): (String, Option<time::OffsetDateTime>) =
        sqlx::query_as("select status, expires_at from listings where id = $1")
            .bind(id)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), expires), ("open", None));
    let mut cy = w.app.signed_in("cy@example.org").await;
    assert_eq!(search(&mut cy, "q=logo").await, ["Logo design"]);
}

#[tokio::test]
async fn the_edit_form_is_filled_with_the_listing_and_saving_shows_the_changes() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    let id = post_listing(
        &mut bea,
        &form(
            &w,
            &[
                ("price_mode", "hourly"),
                ("price", "4.5"),
                ("hours", "2"),
                ("description", "Two rounds of changes.\nVector files."),
            ],
        ),
    )
    .await;
    let edit = bea.get(&format!("/s/harbour/market/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(
        edit.title()
            .starts_with("Edit the listing Logo design for your startup")
    );
    assert!(edit.has("value=\"Logo design for your startup\""));
    assert!(edit.has(">Two rounds of changes.\nVector files.</textarea>"));
    assert!(edit.has("value=\"4.50\"") && edit.has("value=\"2.00\""));
    assert!(edit.has(&format!("<option value=\"{}\" selected>", w.design)));
    assert!(edit.has("<option value=\"hourly\" selected>"));
    assert!(edit.has("<option value=\"offer\" selected>"));
    assert!(edit.has("Save the listing"));

    let changed = form(
        &w,
        &[
            ("kind", "request"),
            ("title", "Brand colours for a bakery"),
            ("description", "Warm, friendly."),
            ("category", &w.finance.to_string()),
            ("price", "20"),
        ],
    );
    let done = submit(&mut bea, &format!("/s/harbour/market/{id}/edit"), &changed).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = bea.get(done.location()).await;
    assert!(page.has("Your listing is saved."));
    assert!(page.has("<h1>Brand colours for a bakery</h1>"));
    assert!(page.has("<p class=\"price lead\">20.00 hours</p>"));
    assert!(page.has("Request") && page.has("Finance") && page.has("Warm, friendly."));
    let hours: Option<i32> =
        sqlx::query_scalar("select hours_estimate from listings where id = $1")
            .bind(id)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!(hours, None, "a fixed price keeps no hours");
    // Search follows the new words, and forgets the old.
    let mut cy = w.app.signed_in("cy@example.org").await;
    assert_eq!(
        search(&mut cy, "q=bakery").await,
        ["Brand colours for a bakery"]
    );
    assert!(search(&mut cy, "q=logo").await.is_empty());
    assert!(search(&mut cy, "q=vector").await.is_empty());
}

#[tokio::test]
async fn an_edit_with_mistakes_is_refused_refilled_and_changes_nothing() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    let id = post_listing(&mut bea, &form(&w, &[])).await;
    bea.get(&format!("/s/harbour/market/{id}/edit")).await;
    let before = snapshot(&w.app).await;
    let path = format!("/s/harbour/market/{id}/edit");
    let bad = form(
        &w,
        &[
            ("title", ""),
            ("description", "New words, kept."),
            ("price", "-3"),
            ("category", &w.dock_design.to_string()),
        ],
    );
    let page = submit(&mut bea, &path, &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("<a href=\"#title\">Enter a title"));
    assert!(page.has("<a href=\"#price\">Enter an amount above zero</a>"));
    assert!(page.has("<a href=\"#category\">Choose a category from the list</a>"));
    assert!(page.has(">New words, kept.</textarea>") && page.has("value=\"-3\""));
    // Still the edit form, posting back to this listing.
    assert!(page.has(&format!("action=\"{path}\"")) && page.has("Save the listing"));
    for (field, value) in [
        ("title", "x".repeat(121)),
        ("price_mode", "hourly".to_owned()),
        ("expires_on", "2000-01-01".to_owned()),
        ("kind", "both".to_owned()),
    ] {
        let page = submit(&mut bea, &path, &form(&w, &[(field, &value)])).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(page.has(&format!("id=\"{field}-error\"")) || page.has("id=\"hours-error\""));
    }
    assert_eq!(snapshot(&w.app).await, before);
}

#[tokio::test]
async fn a_listing_keeps_its_retired_category_but_no_listing_can_newly_take_it() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    let id = post_listing(&mut bea, &form(&w, &[])).await;
    let other = post_listing(
        &mut bea,
        &form(
            &w,
            &[("title", "Tax help"), ("category", &w.finance.to_string())],
        ),
    )
    .await;
    skills_db::set_category_retired(&w.app.db, w.space, w.design, true)
        .await
        .unwrap();
    // Its own listing may keep it, and says it is retired.
    let edit = bea.get(&format!("/s/harbour/market/{id}/edit")).await;
    assert!(edit.has("Design (retired)"));
    let done = submit(
        &mut bea,
        &format!("/s/harbour/market/{id}/edit"),
        &form(&w, &[("title", "Logo design, still")]),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // Another listing cannot move into it, and a new one cannot take it.
    let before = snapshot(&w.app).await;
    let moved = submit(
        &mut bea,
        &format!("/s/harbour/market/{other}/edit"),
        &form(&w, &[("title", "Tax help")]),
    )
    .await;
    assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(moved.has("Choose a category from the list"));
    let new = submit(&mut bea, "/s/harbour/market", &form(&w, &[])).await;
    assert_eq!(new.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(snapshot(&w.app).await, before);
}
