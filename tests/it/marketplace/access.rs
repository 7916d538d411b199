//! Who may see and change listings: active members of the space only, owners only for their
//! own, and never across spaces or without the form's token (SPEC §8.3, §8.4).

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, Status};

use super::{World, form, insert, insert_in, snapshot, submit, world};
use crate::helpers::{Browser, Page};

/// Every marketplace route, with a listing of Bea's in the paths that name one.
fn gets(id: i64) -> Vec<String> {
    vec![
        "/s/harbour/market".to_owned(),
        "/s/harbour/market?q=logo&kind=offer".to_owned(),
        "/s/harbour/market/new".to_owned(),
        "/s/harbour/market/new?kind=request".to_owned(),
        "/s/harbour/market/mine".to_owned(),
        format!("/s/harbour/market/{id}"),
        format!("/s/harbour/market/{id}/edit"),
    ]
}

/// Every form a visitor could send: a new listing, an edit and each status change.
async fn send_every_form(w: &World, browser: &mut Browser, id: i64) -> Vec<(String, Page)> {
    let mut pages = Vec::new();
    let new = form(w, &[("title", "Sneaked in")]);
    pages.push((
        "create".to_owned(),
        submit(browser, "/s/harbour/market", &new).await,
    ));
    let edit = form(w, &[("title", "Taken over"), ("price", "1")]);
    pages.push((
        "edit".to_owned(),
        submit(browser, &format!("/s/harbour/market/{id}/edit"), &edit).await,
    ));
    for status in ["paused", "closed", "open"] {
        let path = format!("/s/harbour/market/{id}/status");
        pages.push((
            format!("status {status}"),
            browser.post(&path, &[("status", status)]).await,
        ));
    }
    pages
}

async fn bea_listing(w: &World) -> i64 {
    insert(
        w,
        w.bea,
        "offer",
        "Logo design",
        "Vector files included.",
        w.design,
    )
    .await
}

#[tokio::test]
async fn strangers_applicants_and_suspended_members_are_refused_everywhere_and_change_nothing() {
    let w = world().await;
    let id = bea_listing(&w).await;
    // Sam, suspended, has a listing of his own from before.
    let sams = insert(&w, w.sam, "offer", "Bike repair", "", w.design).await;
    let before = snapshot(&w.app).await;
    for (email, message) in [
        (
            "olly@example.org",
            "You are not a member of this space. Ask an admin for an invitation, or apply to join.",
        ),
        (
            "pat@example.org",
            "Your application to this space is waiting for an admin&#39;s approval.",
        ),
        (
            "sam@example.org",
            "Your membership of this space is suspended.",
        ),
    ] {
        let mut visitor = w.app.signed_in(email).await;
        let mut paths = gets(id);
        paths.extend(gets(sams).into_iter().skip(5));
        for path in paths {
            let page = visitor.get(&path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{email} {path}");
            assert!(page.has(message), "{email} {path}: {}", page.body);
            assert!(!page.has("Logo design") && !page.has("Bike repair"));
        }
        for target in [id, sams] {
            for (what, page) in send_every_form(&w, &mut visitor, target).await {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{email} {what}");
            }
        }
        assert_eq!(snapshot(&w.app).await, before, "{email} changed a listing");
    }
}

#[tokio::test]
async fn a_signed_out_visitor_is_sent_to_sign_in_and_changes_nothing() {
    let w = world().await;
    let id = bea_listing(&w).await;
    let before = snapshot(&w.app).await;
    let mut visitor = w.app.browser();
    for path in gets(id) {
        let page = visitor.get(&path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            page.location()
                .starts_with("/signin?next=%2Fs%2Fharbour%2Fmarket"),
            "{path}: {}",
            page.location()
        );
    }
    // With a token from the sign-in page, so that only who they are stops them.
    visitor.get("/signin").await;
    assert!(visitor.csrf.is_some());
    for (what, page) in send_every_form(&w, &mut visitor, id).await {
        assert!(
            page.status == StatusCode::SEE_OTHER && page.location().starts_with("/signin"),
            "{what}: {} {}",
            page.status,
            page.location()
        );
    }
    assert_eq!(snapshot(&w.app).await, before);
}

#[tokio::test]
async fn a_member_cannot_edit_or_change_the_status_of_someone_elses_listing() {
    let w = world().await;
    let id = bea_listing(&w).await;
    let before = snapshot(&w.app).await;
    // Cy is a member; Ana is an admin, and still not the owner.
    for email in ["cy@example.org", "ana@example.org"] {
        let mut other = w.app.signed_in(email).await;
        let view = other.get(&format!("/s/harbour/market/{id}")).await;
        assert_eq!(view.status, StatusCode::OK);
        assert!(!view.has(&format!("/s/harbour/market/{id}/edit")));
        let edit = other.get(&format!("/s/harbour/market/{id}/edit")).await;
        assert_eq!(edit.status, StatusCode::NOT_FOUND, "{email}");
        assert!(!edit.has("Logo design"));
        for (what, page) in send_every_form(&w, &mut other, id).await {
            if what == "create" {
                assert_eq!(page.status, StatusCode::SEE_OTHER);
            } else {
                assert_eq!(page.status, StatusCode::NOT_FOUND, "{email} {what}");
            }
        }
        // Their own listing page does not list Bea's.
        let mine = other.get("/s/harbour/market/mine").await;
        assert!(!mine.has("Logo design"));
    }
    // Bea's listing is exactly as it was; only the two new ones were added.
    let after = snapshot(&w.app).await;
    assert!(after.starts_with(&before), "Bea's listing changed");
    assert_eq!(w.app.count("select count(*) from listings").await, 3);
}

#[tokio::test]
async fn a_listing_of_another_space_is_not_found_here_even_by_its_owner() {
    let w = world().await;
    // Bea is a member of Dock as well, with a listing there.
    let bea_person: i64 = sqlx::query_scalar("select person_id from memberships where id = $1")
        .bind(w.bea.0)
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    let mut conn = w.app.db.acquire().await.unwrap();
    let in_dock = swapdesk::spaces::db::add_membership(
        &mut conn,
        w.dock,
        swapdesk::auth::model::PersonId(bea_person),
        Role::Member,
        Status::Active,
    )
    .await
    .unwrap()
    .unwrap();
    drop(conn);
    let dock_listing = insert_in(
        &w.app,
        w.dock,
        in_dock,
        "offer",
        "Dockside sailing lessons",
        "",
        w.dock_design,
    )
    .await;
    let before = snapshot(&w.app).await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    assert_eq!(
        bea.get(&format!("/s/dock/market/{dock_listing}"))
            .await
            .status,
        StatusCode::OK
    );
    for path in [
        format!("/s/harbour/market/{dock_listing}"),
        format!("/s/harbour/market/{dock_listing}/edit"),
    ] {
        let page = bea.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.has("Dockside"));
    }
    bea.get("/s/harbour/market/new").await;
    let edit = form(&w, &[("title", "Moved across")]);
    let page = submit(
        &mut bea,
        &format!("/s/harbour/market/{dock_listing}/edit"),
        &edit,
    )
    .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let page = bea
        .post(
            &format!("/s/harbour/market/{dock_listing}/status"),
            &[("status", "closed")],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // Neither search nor "mine" in Harbour shows it.
    assert!(!bea.get("/s/harbour/market").await.has("Dockside"));
    assert!(!bea.get("/s/harbour/market?q=sailing").await.has("Dockside"));
    assert!(!bea.get("/s/harbour/market/mine").await.has("Dockside"));
    assert_eq!(snapshot(&w.app).await, before);
}

#[tokio::test]
async fn ids_that_are_not_listings_are_not_found() {
    let w = world().await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    for path in [
        "/s/harbour/market/0",
        "/s/harbour/market/-1",
        "/s/harbour/market/99999999",
        "/s/harbour/market/99999999999999999999999",
        "/s/harbour/market/abc/edit",
        "/s/harbour/market/1.5/edit",
        "/s/nowhere/market",
    ] {
        let page = bea.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let w = world().await;
    let id = bea_listing(&w).await;
    let mut bea = w.app.signed_in("bea@example.org").await;
    let before = snapshot(&w.app).await;
    let body = |fields: &[(&str, String)]| {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::helpers::encode(&pairs)
    };
    let new = body(&form(&w, &[("title", "Sneaked in")]));
    let edit = body(&form(&w, &[("title", "Changed")]));
    for (path, sent) in [
        ("/s/harbour/market".to_owned(), new.clone()),
        (format!("/s/harbour/market/{id}/edit"), edit.clone()),
        (
            format!("/s/harbour/market/{id}/status"),
            "status=closed".to_owned(),
        ),
        (
            format!("/s/harbour/market/{id}/status"),
            "status=closed&csrf=forged".to_owned(),
        ),
    ] {
        let page = bea.post_raw(&path, &sent).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.has("This form has expired or did not come from this site"));
    }
    // Cy's token is no good for Bea's session.
    let cy = w.app.signed_in("cy@example.org").await;
    let foreign = cy.csrf.clone().unwrap();
    let page = bea
        .post_raw(
            &format!("/s/harbour/market/{id}/status"),
            &format!("status=closed&csrf={foreign}"),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&w.app).await, before);
}
