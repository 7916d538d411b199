//! Every event tells the right people, and only them, once, in the event's own transaction:
//! a rolled-back or refused action tells nobody.

use swapdesk::marketplace::db as market_db;
use swapdesk::marketplace::model::ListingKind;
use swapdesk::notify::inbox::{self, Notice};
use swapdesk::notify::model::Kind;
use swapdesk::spaces::model::{MembershipId, Status};
use swapdesk::trades::db as trades_db;
use swapdesk::trades::model::Action;
use swapdesk::trades::service::{self, Done};
use time::{Duration, OffsetDateTime};

use crate::trades::{AMOUNT, Someone, Stage, World, input, page_of, terms};

/// The notifications written since the last call, as (who, kind), in order.
pub(super) struct Told {
    seen: i64,
}

impl Told {
    pub(super) fn new() -> Self {
        Self { seen: 0 }
    }

    pub(super) async fn since(&mut self, w: &World) -> Vec<(MembershipId, String)> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "select id, membership_id, kind from notifications where id > $1 order by id",
        )
        .bind(self.seen)
        .fetch_all(&w.app.db)
        .await
        .unwrap();
        if let Some((id, _, _)) = rows.last() {
            self.seen = *id;
        }
        rows.into_iter()
            .map(|(_, m, k)| (MembershipId(m), k))
            .collect()
    }
}

pub(super) fn to(who: Someone, kind: &str) -> (MembershipId, String) {
    (who.member, kind.to_owned())
}

async fn unread(w: &World, who: Someone) -> i64 {
    w.app
        .count(&format!(
            "select coalesce((select unread::bigint from inbox_counters where membership_id = {}), 0)",
            who.member
        ))
        .await
}

#[tokio::test]
async fn each_step_of_a_trade_tells_the_other_party_once() {
    use Action::*;
    let w = World::new().await;
    let (bea, cy) = (w.bea, w.cy);
    let mut told = Told::new();
    let trade = w.propose(cy, bea, &terms(AMOUNT, None)).await;
    assert_eq!(told.since(&w).await, [to(bea, "trade_proposed")]);
    let steps = [
        (bea, Counter, cy, "trade_countered"),
        (cy, Accept, bea, "trade_accepted"),
        (cy, MarkDelivered, bea, "trade_delivered"),
        (bea, Confirm, cy, "trade_completed"),
    ];
    // After Bea's counter-proposal Cy answers it; then the work runs its course.
    for (by, action, hears, kind) in steps {
        w.done(by, trade, action).await;
        assert_eq!(told.since(&w).await, [to(hears, kind)], "{action:?}");
    }
    // The unread count rose with each, and Ana and Dan heard nothing.
    assert_eq!(unread(&w, bea).await, 3);
    assert_eq!(unread(&w, cy).await, 2);
    assert_eq!(unread(&w, w.ana).await, 0);
    assert_eq!(unread(&w, w.dan).await, 0);
}

#[tokio::test]
async fn the_other_endings_of_a_trade_tell_the_other_party() {
    use Action::*;
    let w = World::new().await;
    let (bea, cy) = (w.bea, w.cy);
    let mut told = Told::new();
    let cases: [(Stage, Someone, Action, Someone, &str); 5] = [
        (Stage::Proposed, bea, Decline, cy, "trade_declined"),
        (Stage::Proposed, cy, Withdraw, bea, "trade_withdrawn"),
        (
            Stage::Accepted,
            bea,
            AskToCancel,
            cy,
            "trade_asked_to_cancel",
        ),
        (
            Stage::CancelAsked,
            cy,
            AgreeToCancel,
            bea,
            "trade_cancel_agreed",
        ),
        (
            Stage::CancelAsked,
            cy,
            RefuseToCancel,
            bea,
            "trade_cancel_refused",
        ),
    ];
    for (stage, by, action, hears, kind) in cases {
        let trade = w.trade_in(stage).await;
        told.since(&w).await;
        w.done(by, trade, action).await;
        assert_eq!(told.since(&w).await, [to(hears, kind)], "{action:?}");
    }
}

#[tokio::test]
async fn a_dispute_tells_the_other_party_and_the_admins_and_its_resolution_both_parties() {
    use Action::*;
    let w = World::new().await;
    let (ana, bea, cy) = (w.ana, w.bea, w.cy);
    let trade = w.trade_in(Stage::Delivered).await;
    let mut told = Told::new();
    told.since(&w).await;
    w.done(bea, trade, Dispute).await;
    assert_eq!(
        told.since(&w).await,
        [to(cy, "trade_disputed"), to(ana, "admin_dispute")]
    );
    w.done(cy, trade, Answer).await;
    assert_eq!(told.since(&w).await, [to(bea, "trade_answered")]);
    w.done(ana, trade, Resolve).await;
    assert_eq!(
        told.since(&w).await,
        [to(bea, "trade_resolved"), to(cy, "trade_resolved")]
    );
}

#[tokio::test]
async fn a_rolled_back_or_refused_action_tells_nobody() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Proposed).await;
    let mut told = Told::new();
    told.since(&w).await;
    let before = unread(&w, w.cy).await;
    // Accepted, then rolled back: no notification, and the count is as it was.
    let mut tx = w.app.state.db.begin().await.unwrap();
    let done = service::act(
        &mut tx,
        w.actor(w.bea),
        trade,
        Action::Accept,
        &input(Action::Accept),
    )
    .await
    .unwrap();
    assert_eq!(done, Done::Done);
    tx.rollback().await.unwrap();
    assert!(told.since(&w).await.is_empty());
    assert_eq!(unread(&w, w.cy).await, before);
    // A stranger's try is refused and tells nobody either.
    let refused = w.act(w.dan, trade, Action::Accept).await;
    assert_ne!(refused, Done::Done);
    assert!(told.since(&w).await.is_empty());
}

#[tokio::test]
async fn a_message_and_kudos_tell_the_other_party() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Completed).await;
    let mut told = Told::new();
    told.since(&w).await;
    let mut bea = w.browser(w.bea).await;
    let page = bea.get(&page_of(trade)).await;
    let csrf = page.csrf().unwrap();
    bea.post(
        &format!("{}/messages", page_of(trade)),
        &[("csrf", &csrf), ("body", "Thanks, it looks great")],
    )
    .await;
    assert_eq!(told.since(&w).await, [to(w.cy, "message")]);
    bea.post(
        &format!("{}/kudos", page_of(trade)),
        &[("csrf", &csrf), ("stars", "5"), ("note", "Lovely work")],
    )
    .await;
    assert_eq!(told.since(&w).await, [to(w.cy, "kudos")]);
    // A second kudos is refused, and tells nobody.
    bea.post(
        &format!("{}/kudos", page_of(trade)),
        &[("csrf", &csrf), ("stars", "4"), ("note", "Again")],
    )
    .await;
    assert!(told.since(&w).await.is_empty());
}

#[tokio::test]
async fn listings_about_to_expire_and_expired_tell_their_owner_once_each() {
    let w = World::new().await;
    let today = w.today().await;
    let listing = w
        .listing(w.cy, ListingKind::Offer, Some(today + Duration::days(2)))
        .await;
    let mut told = Told::new();
    told.since(&w).await;
    let now = OffsetDateTime::now_utc();
    assert_eq!(market_db::warn_expiring(&w.app.db, now).await.unwrap(), 1);
    assert_eq!(market_db::warn_expiring(&w.app.db, now).await.unwrap(), 0);
    assert_eq!(told.since(&w).await, [to(w.cy, "listing_expiring")]);
    let later = now + Duration::days(4);
    assert_eq!(market_db::close_expired(&w.app.db, later).await.unwrap(), 1);
    assert_eq!(market_db::close_expired(&w.app.db, later).await.unwrap(), 0);
    assert_eq!(told.since(&w).await, [to(w.cy, "listing_expired")]);
    let link: String =
        sqlx::query_scalar("select link from notifications order by id desc limit 1")
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!(link, format!("market/{listing}"));
}

#[tokio::test]
async fn both_parties_are_reminded_the_day_before_a_trade_completes_itself() {
    let w = World::new().await;
    let trade = w.trade_in(Stage::Delivered).await;
    let mut told = Told::new();
    told.since(&w).await;
    let days: i64 = w
        .app
        .count("select auto_complete_days::bigint from spaces")
        .await;
    let delivered: OffsetDateTime =
        sqlx::query_scalar("select delivered_at from trades where id = $1")
            .bind(trade.0)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    let completes = delivered + Duration::days(days);
    let db = &w.app.db;
    let two_days_before = completes - Duration::hours(48);
    assert_eq!(
        trades_db::remind_before_auto_complete(db, two_days_before)
            .await
            .unwrap(),
        0
    );
    let hours_before = completes - Duration::hours(20);
    assert_eq!(
        trades_db::remind_before_auto_complete(db, hours_before)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        trades_db::remind_before_auto_complete(db, hours_before)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        told.since(&w).await,
        [to(w.bea, "trade_reminder"), to(w.cy, "trade_reminder")]
    );
}

#[tokio::test]
async fn the_actor_and_members_not_active_are_never_told() {
    let w = World::new().await;
    w.set_status(w.dan, Status::Suspended).await;
    let notice = Notice {
        space: w.space,
        to: &[w.bea.member, w.cy.member, w.dan.member],
        admins: true,
        kind: Kind::AdminVerifyFailed,
        actor: Some(w.bea.member),
        link: String::new(),
        about: "",
    };
    let told = inbox::notify(&w.app.db, &notice).await.unwrap();
    assert_eq!(told, 2, "Cy and Ana, the admin; not Bea who acted, nor Dan");
    let mut seen = Told::new();
    let mut got = seen.since(&w).await;
    got.sort_by_key(|(m, _)| m.0);
    let mut want = vec![
        to(w.ana, "admin_verify_failed"),
        to(w.cy, "admin_verify_failed"),
    ];
    want.sort_by_key(|(m, _)| m.0);
    assert_eq!(got, want);
}
