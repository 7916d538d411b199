//! Time, with the clock in the test's hands where the code takes one: auto-completion after
//! the space's waiting days, listings closing at their expiry, and trade holds that never
//! lapse while timed holds do.

use std::time::Duration;

use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::{Code, Outcome};
use swapdesk::ledger::{self, Payment};
use swapdesk::marketplace::db as market_db;
use swapdesk::marketplace::model::{ListingId, ListingKind};
use swapdesk::spaces::model::Status;
use swapdesk::trades::model::{Action, Resolution, TradeId, TradeState};
use swapdesk::trades::service::{self, Done, Input};
use time::OffsetDateTime;

use super::{AMOUNT, Stage, World};

const SECOND: time::Duration = time::Duration::SECOND;

async fn auto_complete(w: &World, now: OffsetDateTime) -> usize {
    service::auto_complete(&w.app.state.db, now).await.unwrap()
}

async fn delivered_at(w: &World, trade: TradeId) -> OffsetDateTime {
    w.trade(trade).await.delivered_at.unwrap()
}

#[tokio::test]
async fn a_delivered_trade_completes_itself_once_the_waiting_days_have_passed_and_not_before() {
    let w = World::new().await;
    w.grant(w.bea, 10_000).await;
    let others = [
        w.trade_in(Stage::Proposed).await,
        w.trade_in(Stage::Accepted).await,
        w.trade_in(Stage::Disputed).await,
    ];
    let trade = w.trade_in(Stage::Delivered).await;
    let due = delivered_at(&w, trade).await + time::Duration::days(7);
    assert_eq!(auto_complete(&w, due - SECOND).await, 0);
    assert_eq!(w.trade(trade).await.state, TradeState::Delivered);

    assert_eq!(auto_complete(&w, due).await, 1);
    assert_eq!(w.trade(trade).await.state, TradeState::Completed);
    assert_eq!(
        w.last_event(trade).await,
        ("auto_completed".to_owned(), None)
    );
    assert_eq!(w.balance(w.cy).await.balance(), AMOUNT, "Cy is paid");
    assert_eq!(w.transfers_of(trade).await, ["pending", "post"]);

    // Long after, nothing is paid twice, and no other state completes itself.
    assert_eq!(auto_complete(&w, due + time::Duration::days(365)).await, 0);
    assert_eq!(w.transfers_of(trade).await, ["pending", "post"]);
    let untouched = [
        TradeState::Proposed,
        TradeState::Accepted,
        TradeState::Disputed,
    ];
    for (other, state) in others.into_iter().zip(untouched) {
        assert_eq!(w.trade(other).await.state, state);
    }
    w.verified().await;
}

#[tokio::test]
async fn the_spaces_auto_complete_days_set_the_wait() {
    let w = World::new().await;
    sqlx::query("update spaces set auto_complete_days = 2 where id = $1")
        .bind(w.space.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    let trade = w.trade_in(Stage::Delivered).await;
    let due = delivered_at(&w, trade).await + time::Duration::days(2);
    assert_eq!(auto_complete(&w, due - SECOND).await, 0);
    assert_eq!(auto_complete(&w, due).await, 1);
    assert_eq!(w.trade(trade).await.state, TradeState::Completed);
    w.verified().await;
}

#[tokio::test]
async fn auto_complete_passes_over_a_trade_whose_party_is_suspended() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Delivered).await;
    let long_after = delivered_at(&w, trade).await + time::Duration::days(365);
    w.set_status(w.cy, Status::Suspended).await;
    assert_eq!(auto_complete(&w, long_after).await, 0);
    assert_eq!(w.trade(trade).await.state, TradeState::Delivered);
    assert_eq!(w.balance(w.bea).await.held(), AMOUNT);
    assert_eq!(w.balance(w.cy).await.balance(), 0);
    // Reinstated, the trade completes as it would have.
    w.set_status(w.cy, Status::Active).await;
    assert_eq!(auto_complete(&w, long_after).await, 1);
    w.verified().await;
}

async fn status(w: &World, listing: ListingId) -> String {
    sqlx::query_scalar("select status from listings where id = $1")
        .bind(listing.0)
        .fetch_one(&w.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_listing_closes_at_its_expiry_and_not_before_and_only_once() {
    let w = World::new().await;
    let last_day = w.today().await + time::Duration::days(2);
    let expiring = w.listing(w.cy, ListingKind::Offer, Some(last_day)).await;
    let lasting = w.listing(w.cy, ListingKind::Request, None).await;
    let expires_at: OffsetDateTime =
        sqlx::query_scalar("select expires_at from listings where id = $1")
            .bind(expiring.0)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    // Open through its last day, in the space's time zone (UTC here).
    assert_eq!(
        expires_at,
        last_day.next_day().unwrap().midnight().assume_utc()
    );
    let db = &w.app.state.db;
    assert_eq!(
        market_db::close_expired(db, expires_at - SECOND)
            .await
            .unwrap(),
        0
    );
    assert_eq!(status(&w, expiring).await, "open");
    // Two instances run it at the same moment: the listing is closed once.
    let (a, b) = tokio::join!(
        market_db::close_expired(db, expires_at),
        market_db::close_expired(db, expires_at)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(
        market_db::close_expired(db, expires_at + time::Duration::days(30))
            .await
            .unwrap(),
        0
    );
    assert_eq!(status(&w, expiring).await, "closed");
    assert_eq!(status(&w, lasting).await, "open");
}

/// A timed hold of Dan's for Ana, already past its timeout.
async fn lapsed_hold(w: &World) -> uuid::Uuid {
    let account = |m| ledger_db::member_account(&w.app.db, w.space, m);
    let hold = Payment {
        id: ledger::new_id(),
        space: w.space,
        from: account(w.dan.member).await.unwrap().unwrap(),
        to: account(w.ana.member).await.unwrap().unwrap(),
        amount: 100,
        code: Code::Gift,
        memo: "A timed hold",
        by: None,
    };
    let outcome = ledger::hold(&w.app.db, &hold, Duration::ZERO)
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Applied(_)));
    hold.id
}

/// Whether a hold is still open, and the timeouts of its transfer and open-hold rows.
async fn hold_row(w: &World, hold: uuid::Uuid) -> (bool, Option<OffsetDateTime>) {
    sqlx::query_as(
        "select exists (select 1 from ledger_open_holds where transfer_id = $1),
                (select timeout_at from ledger_transfers where id = $1)",
    )
    .bind(hold)
    .fetch_one(&w.app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_trades_hold_has_no_timeout_and_stays_while_timed_holds_expire() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Delivered).await;
    let hold = w.trade(trade).await.hold_id.unwrap();
    assert_eq!(
        hold_row(&w, hold).await,
        (true, None),
        "open, with no timeout"
    );
    let timed = lapsed_hold(&w).await;

    assert_eq!(ledger::expire_due(&w.app.state.db, 100).await.unwrap(), 1);
    assert_eq!(ledger::expire_due(&w.app.state.db, 100).await.unwrap(), 0);
    assert!(!hold_row(&w, timed).await.0, "the timed hold expired");
    assert_eq!(
        hold_row(&w, hold).await,
        (true, None),
        "the trade's is open"
    );
    assert_eq!(w.balance(w.bea).await.held(), AMOUNT);
    assert_eq!(w.balance(w.dan).await.held(), 0);
    assert_eq!(w.transfers_of(trade).await, ["pending"]);
    // And the trade still pays from it.
    w.done(w.bea, trade, Action::Confirm).await;
    assert_eq!(w.balance(w.cy).await.balance(), AMOUNT);
    w.verified().await;
}

#[tokio::test]
async fn a_long_dispute_still_resolves_with_the_hold() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Disputed).await;
    let hold = w.trade(trade).await.hold_id.unwrap();
    lapsed_hold(&w).await;
    assert_eq!(ledger::expire_due(&w.app.state.db, 100).await.unwrap(), 1);
    w.done(w.cy, trade, Action::Answer).await;
    assert_eq!(ledger::expire_due(&w.app.state.db, 100).await.unwrap(), 0);
    assert_eq!(hold_row(&w, hold).await, (true, None));
    let part = Input {
        resolution: Some(Resolution::Part(300)),
        note: "Half the work, most of the value".to_owned(),
        terms: None,
    };
    let done = w.act_with(w.ana, trade, Action::Resolve, &part).await;
    assert_eq!(done, Done::Done);
    assert_eq!(w.trade(trade).await.state, TradeState::Resolved);
    let (bea, cy) = (w.balance(w.bea).await, w.balance(w.cy).await);
    assert_eq!((bea.balance(), bea.held(), cy.balance()), (-300, 0, 300));
    w.verified().await;
}
