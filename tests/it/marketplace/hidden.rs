//! What the marketplace never lists: paused, closed and past-date listings, and those of
//! suspended members (SPEC §3.1, §8.4).

use axum::http::StatusCode;

use super::search::market;
use super::{insert, search, sql};

#[tokio::test]
async fn paused_closed_and_expired_listings_are_not_listed() {
    let w = market().await;
    let paused = insert(&w, w.bea, "offer", "Paused poster design", "", w.design).await;
    let closed = insert(&w, w.bea, "offer", "Closed poster design", "", w.design).await;
    let expired = insert(&w, w.bea, "offer", "Expired poster design", "", w.design).await;
    let later = insert(&w, w.bea, "offer", "Later poster design", "", w.design).await;
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
    // Past its date, though the job has not closed it yet.
    sql(
        &w.app,
        "update listings set expires_at = now() - interval '1 minute' where id = $1",
        expired,
    )
    .await;
    sql(
        &w.app,
        "update listings set expires_at = now() + interval '1 day' where id = $1",
        later,
    )
    .await;
    for email in ["cy@example.org", "bea@example.org"] {
        let mut who = w.app.signed_in(email).await;
        assert_eq!(
            search(&mut who, "q=poster").await,
            ["Later poster design"],
            "{email}"
        );
        let all = search(&mut who, "").await;
        assert_eq!(all.len(), 4, "{email}: {all:?}");
    }
    // Nor can a past-date listing be taken up from its page.
    let mut cy = w.app.signed_in("cy@example.org").await;
    let page = cy.get(&format!("/s/harbour/market/{expired}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.has("I'd like this"), "{}", page.body);
    assert!(page.has("<span class=\"tag\">Closed</span>"));
    let page = cy.get(&format!("/s/harbour/market/{later}")).await;
    assert!(page.has("I'd like this"));
    let page = cy.get(&format!("/s/harbour/market/{paused}")).await;
    assert!(!page.has("I'd like this") && page.has("This listing is paused"));
}

#[tokio::test]
async fn listings_of_suspended_members_are_not_shown_until_they_are_reactivated() {
    let w = market().await;
    let sams = insert(
        &w,
        w.sam,
        "offer",
        "Bike repair",
        "Brakes and gears.",
        w.design,
    )
    .await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    assert!(search(&mut ana, "q=bike").await.is_empty());
    assert!(
        !search(&mut ana, "")
            .await
            .contains(&"Bike repair".to_owned())
    );
    let page = ana.get(&format!("/s/harbour/market/{sams}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.has("Bike repair"));

    // Bea is suspended: her listing goes, and comes back when she is reactivated.
    sql(
        &w.app,
        "update memberships set status = 'suspended' where id = $1",
        w.bea.0,
    )
    .await;
    assert!(search(&mut ana, "q=logo").await.is_empty());
    assert_eq!(search(&mut ana, "").await.len(), 2);
    sql(
        &w.app,
        "update memberships set status = 'active' where id = $1",
        w.bea.0,
    )
    .await;
    assert_eq!(
        search(&mut ana, "q=logo").await,
        ["Logo design for your startup"]
    );
}
