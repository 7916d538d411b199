//! Kudos (SPEC §3.5): only from the two parties, only once the trade is completed or
//! resolved, once each, 1–5 stars and a note of at most 280 characters; the receiver's
//! count and stars follow in the same transaction.

use axum::http::StatusCode;
use swapdesk::trades::model::TradeId;
use swapdesk::trades::service::{self, KudosDone};

use super::{Someone, Stage, World, page_of};
use crate::helpers::{Browser, Page};

async fn leave(browser: &mut Browser, trade: TradeId, stars: &str, note: &str) -> Page {
    browser
        .post(
            &format!("{}/kudos", page_of(trade)),
            &[("stars", stars), ("kudos_note", note)],
        )
        .await
}

/// (kudos received, stars received) on a member's row.
async fn totals(w: &World, who: Someone) -> (i32, i32) {
    sqlx::query_as("select kudos_count, kudos_stars from memberships where id = $1")
        .bind(who.member.0)
        .fetch_one(&w.app.db)
        .await
        .unwrap()
}

/// Every kudos written: (from, to, stars, note).
async fn kudos(w: &World) -> Vec<(i64, i64, i32, String)> {
    sqlx::query_as("select from_id, to_id, stars, note from kudos order by id")
        .fetch_all(&w.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn each_party_of_a_completed_trade_leaves_kudos_once() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Completed).await;
    let (mut bea, mut cy) = (w.browser(w.bea).await, w.browser(w.cy).await);
    let left = leave(&mut bea, trade, "4", "A lovely logo, and early").await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    assert_eq!(
        leave(&mut cy, trade, "5", "").await.status,
        StatusCode::SEE_OTHER
    );

    let again = leave(&mut bea, trade, "1", "On second thoughts").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.has("You have already left kudos for this trade."));
    assert_eq!(
        kudos(&w).await,
        [
            (
                w.bea.member.0,
                w.cy.member.0,
                4,
                "A lovely logo, and early".to_owned()
            ),
            (w.cy.member.0, w.bea.member.0, 5, String::new()),
        ]
    );
    assert_eq!(totals(&w, w.cy).await, (1, 4));
    assert_eq!(totals(&w, w.bea).await, (1, 5));
    assert!(
        bea.get(&page_of(trade))
            .await
            .has("You left kudos for this trade.")
    );
}

#[tokio::test]
async fn nobody_but_the_parties_leaves_kudos() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Completed).await;
    let resolved = w.trade_in(Stage::Resolved).await;
    for who in [w.dan, w.ana] {
        let mut browser = w.browser(who).await;
        for t in [trade, resolved] {
            let page = leave(&mut browser, t, "5", "Great").await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{} on {t}", who.email);
        }
    }
    assert!(kudos(&w).await.is_empty());
    assert_eq!(totals(&w, w.bea).await, (0, 0));
    assert_eq!(totals(&w, w.cy).await, (0, 0));
}

#[tokio::test]
async fn kudos_wait_until_the_trade_is_completed_or_resolved() {
    let w = World::new().await;
    w.grant(w.bea, 10_000).await;
    let mut bea = w.browser(w.bea).await;
    for stage in [
        Stage::Proposed,
        Stage::Accepted,
        Stage::Delivered,
        Stage::Disputed,
        Stage::Declined,
        Stage::Withdrawn,
        Stage::WithdrewFromWork,
    ] {
        let trade = w.trade_in(stage).await;
        let page = leave(&mut bea, trade, "5", "Thanks").await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{stage:?}");
        assert!(
            page.has("Kudos can be left once the trade is completed or resolved."),
            "{stage:?}"
        );
    }
    assert!(kudos(&w).await.is_empty());
    let resolved = w.trade_in(Stage::Resolved).await;
    let mut cy = w.browser(w.cy).await;
    assert_eq!(
        leave(&mut bea, resolved, "3", "").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        leave(&mut cy, resolved, "2", "").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(kudos(&w).await.len(), 2);
}

#[tokio::test]
async fn kudos_need_one_to_five_stars_and_a_note_of_at_most_280_characters() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Completed).await;
    let mut bea = w.browser(w.bea).await;
    let long = "é".repeat(281);
    for (stars, note, field) in [
        ("0", "", "stars"),
        ("6", "", "stars"),
        ("-1", "", "stars"),
        ("4.5", "", "stars"),
        ("five", "", "stars"),
        ("", "", "stars"),
        ("99999999999999999999", "", "stars"),
        ("4", long.as_str(), "kudos_note"),
    ] {
        let page = leave(&mut bea, trade, stars, note).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{stars:?} {}",
            note.len()
        );
        assert!(
            page.has(&format!("href=\"#{field}\"")),
            "{stars:?}: {field}"
        );
    }
    assert!(kudos(&w).await.is_empty());
    assert_eq!(totals(&w, w.cy).await, (0, 0));
    let just_fits = "é".repeat(280);
    let page = leave(&mut bea, trade, "1", &just_fits).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(kudos(&w).await[0].3, just_fits);
    assert_eq!(totals(&w, w.cy).await, (1, 1));
}

#[tokio::test]
async fn kudos_and_the_receivers_totals_stand_or_fall_together() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Completed).await;
    let db = &w.app.state.db;
    let mut tx = db.begin().await.unwrap();
    let done = service::leave_kudos(&mut tx, w.actor(w.bea), trade, 3, "Good")
        .await
        .unwrap();
    assert_eq!(done, KudosDone::Left);
    tx.rollback().await.unwrap();
    assert!(kudos(&w).await.is_empty());
    assert_eq!(totals(&w, w.cy).await, (0, 0), "rolled back with the kudos");

    let mut tx = db.begin().await.unwrap();
    service::leave_kudos(&mut tx, w.actor(w.bea), trade, 3, "Good")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(totals(&w, w.cy).await, (1, 3));

    let mut tx = db.begin().await.unwrap();
    let again = service::leave_kudos(&mut tx, w.actor(w.bea), trade, 5, "Better")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(again, KudosDone::AlreadyLeft);
    assert_eq!(totals(&w, w.cy).await, (1, 3));
    assert_eq!(kudos(&w).await.len(), 1);
}
