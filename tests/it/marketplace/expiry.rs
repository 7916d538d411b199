//! The expiry job: a listing past the end of its last day is closed, and not a moment before.

use swapdesk::marketplace::db as market_db;
use time::{Duration, OffsetDateTime};

use super::{form, insert, post_listing, search, sql, world};

async fn status_of(app: &crate::helpers::TestApp, id: i64) -> String {
    sqlx::query_scalar("select status from listings where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn expires_at(app: &crate::helpers::TestApp, id: i64) -> OffsetDateTime {
    sqlx::query_scalar("select expires_at from listings where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_job_closes_a_listing_at_the_end_of_its_last_day_and_not_before() {
    let w = world().await;
    let today = swapdesk::spaces::db::today(&w.app.db, w.space)
        .await
        .unwrap();
    let last_day = today + Duration::days(3);
    let mut bea = w.app.signed_in("bea@example.org").await;
    let id = post_listing(
        &mut bea,
        &form(&w, &[("expires_on", &last_day.to_string())]),
    )
    .await;
    let forever = post_listing(&mut bea, &form(&w, &[("title", "Always here")])).await;
    let end = expires_at(&w.app, id).await;

    // During the last day, and up to its last moment: still open.
    for now in [
        OffsetDateTime::now_utc(),
        end - Duration::days(1),
        end - Duration::seconds(1),
    ] {
        let closed = market_db::close_expired(&w.app.db, now).await.unwrap();
        assert_eq!(closed, 0, "at {now}");
        assert_eq!(status_of(&w.app, id).await, "open");
    }
    // At the end of the day it closes; a listing without a date never does.
    assert_eq!(market_db::close_expired(&w.app.db, end).await.unwrap(), 1);
    assert_eq!(status_of(&w.app, id).await, "closed");
    assert_eq!(status_of(&w.app, forever).await, "open");
    // Run again (another instance, the next minute): nothing more to close.
    let later = end + Duration::days(400);
    assert_eq!(market_db::close_expired(&w.app.db, later).await.unwrap(), 0);
    assert_eq!(status_of(&w.app, forever).await, "open");
    let mine = bea.get("/s/harbour/market/mine").await;
    assert!(mine.has("<td>Closed</td>") && mine.has("<td>Open</td>"));
}

#[tokio::test]
async fn a_paused_listing_past_its_date_is_closed_too_and_every_space_is_swept() {
    let w = world().await;
    let paused = insert(&w, w.bea, "offer", "Paused logo", "", w.design).await;
    let open = insert(&w, w.cy, "request", "Open tax help", "", w.finance).await;
    let closed = insert(&w, w.cy, "offer", "Already closed", "", w.finance).await;
    let olly: i64 = w
        .app
        .count("select m.id from memberships m join people p on p.id = m.person_id where p.email = 'olly@example.org'")
        .await;
    let docks = super::insert_in(
        &w.app,
        w.dock,
        swapdesk::spaces::model::MembershipId(olly),
        "offer",
        "Dock offer",
        "",
        w.dock_design,
    )
    .await;
    for id in [paused, open, closed, docks] {
        sql(
            &w.app,
            "update listings set expires_at = '2030-06-01T00:00:00Z' where id = $1",
            id,
        )
        .await;
    }
    sql(
        &w.app,
        "update listings set status = 'paused' where id = $1",
        paused,
    )
    .await;
    sql(
        &w.app,
        "update listings set status = 'closed' where id = $1",
        closed,
    )
    .await;
    let updated_before: OffsetDateTime =
        sqlx::query_scalar("select updated_at from listings where id = $1")
            .bind(closed)
            .fetch_one(&w.app.db)
            .await
            .unwrap();

    let just_before = time::macros::datetime!(2030-05-31 23:59:59 UTC);
    assert_eq!(
        market_db::close_expired(&w.app.db, just_before)
            .await
            .unwrap(),
        0
    );
    let at = time::macros::datetime!(2030-06-01 00:00:00 UTC);
    assert_eq!(market_db::close_expired(&w.app.db, at).await.unwrap(), 3);
    for id in [paused, open, closed, docks] {
        assert_eq!(status_of(&w.app, id).await, "closed", "listing {id}");
    }
    // The one closed already was left as it was.
    let updated_after: OffsetDateTime =
        sqlx::query_scalar("select updated_at from listings where id = $1")
            .bind(closed)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!(updated_before, updated_after);
    let mut ana = w.app.signed_in("ana@example.org").await;
    assert!(search(&mut ana, "").await.is_empty());
}

#[tokio::test]
async fn a_request_past_its_date_is_not_suggested_nor_shown_on_its_owners_profile() {
    let w = world().await;
    swapdesk::skills::db::add_skill(
        &w.app.db,
        w.space,
        w.bea,
        w.design,
        "Logo design",
        swapdesk::skills::model::Level::Expert,
        "",
    )
    .await
    .unwrap();
    let id = insert(&w, w.cy, "request", "Logo for my bakery", "", w.design).await;
    let suggested = |w: &super::World| {
        let (db, space, bea, cy) = (w.app.db.clone(), w.space, w.bea, w.cy);
        async move {
            let requests = market_db::requests_for(&db, space, bea, 5).await.unwrap();
            let helpers = market_db::members_for(&db, space, cy, 5).await.unwrap();
            (requests.len(), helpers.len())
        }
    };
    let mut bea = w.app.signed_in("bea@example.org").await;
    let profile = format!("/s/harbour/members/{}", w.cy.0);
    // Before its date: suggested both ways, and on Cy's profile.
    assert_eq!(suggested(&w).await, (1, 1));
    assert!(bea.get(&profile).await.has("Logo for my bakery"));
    // Past its date, though the job has not closed it yet: neither.
    sql(
        &w.app,
        "update listings set expires_at = now() - interval '1 minute' where id = $1",
        id,
    )
    .await;
    assert_eq!(suggested(&w).await, (0, 0));
    assert!(!bea.get(&profile).await.has("Logo for my bakery"));
    assert!(!bea.get("/s/harbour").await.has("Logo for my bakery"));
}
