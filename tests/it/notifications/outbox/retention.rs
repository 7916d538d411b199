//! Retention, on a clock the test passes: email texts go 7 days after delivery, an
//! undelivered account email's text once its link has expired, read notifications 180 days
//! after they were read, and nothing else goes.

use axum::http::StatusCode;
use swapdesk::notify::{db as notify_db, retention};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::{OUTBOX, ana, queue, world};

/// The clock the retention tests pass: the database's own `now()` plays no part.
const NOW: OffsetDateTime = datetime!(2031-03-01 12:00 UTC);

#[tokio::test]
async fn clears_the_text_of_emails_delivered_over_7_days_ago_only() {
    let w = world().await;
    let mut ids = Vec::new();
    for (subject, sent) in [
        ("Eight days ago", Some(Duration::days(8))),
        (
            "Almost a week ago",
            Some(Duration::days(7) - Duration::hours(1)),
        ),
        ("Never delivered", None),
    ] {
        let id = queue(&w, w.harbour, "bea@example.org", subject, "Some text").await;
        sqlx::query("update email_outbox set created_at = $2 - interval '30 days', sent_at = $3 where id = $1")
            .bind(id)
            .bind(NOW)
            .bind(sent.map(|ago| NOW - ago))
            .execute(&w.app.db)
            .await
            .unwrap();
        ids.push(id);
    }
    let bodies = || async {
        sqlx::query_scalar::<_, String>("select body from email_outbox order by id")
            .fetch_all(&w.app.db)
            .await
            .unwrap()
    };
    assert_eq!(
        retention::clear_delivered_bodies(&w.app.db, NOW)
            .await
            .unwrap(),
        1
    );
    assert_eq!(bodies().await, ["", "Some text", "Some text"]);
    assert_eq!(
        retention::clear_delivered_bodies(&w.app.db, NOW)
            .await
            .unwrap(),
        0
    );
    let later = NOW + Duration::hours(2);
    assert_eq!(
        retention::clear_delivered_bodies(&w.app.db, later)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        bodies().await,
        ["", "", "Some text"],
        "an unsent email keeps its text"
    );
    let mut ana = ana(&w).await;
    let page = ana.get(&format!("{OUTBOX}/{}", ids[0])).await;
    assert!(page.has("The text was cleared 7 days after delivery"));
    assert!(page.has("Eight days ago"), "the subject stays");
}

#[tokio::test]
async fn an_undelivered_account_email_loses_its_link_once_every_link_has_expired() {
    let w = world().await;
    let longest = retention::longest_link_secs();
    assert_eq!(longest, 14 * 24 * 3600, "a mailed invitation's 14 days");
    // A reset link, mailed while no email goes out (SMTP unset, or down for good).
    let mut visitor = w.app.browser();
    visitor.get("/reset").await;
    visitor
        .post("/reset", &[("email", "bea@example.org")])
        .await;
    w.app
        .email_about("bea@example.org", "Reset your Swapdesk password")
        .await
        .expect("a reset link is queued");
    let reset: i64 = w
        .app
        .count("select max(id) from email_outbox where account_email")
        .await;
    // A mailed invitation of the space, as the CSV import sends it.
    let invitation = notify_db::enqueue(
        &w.app.db,
        Some(w.harbour),
        "carl@example.org",
        "You are invited to Space harbour",
        "Join: http://swapdesk.test/invite/a-live-token",
        true,
    )
    .await
    .unwrap();
    let young = notify_db::enqueue(
        &w.app.db,
        Some(w.harbour),
        "dan@example.org",
        "You are invited to Space harbour",
        "Join: http://swapdesk.test/invite/another-token",
        true,
    )
    .await
    .unwrap();
    let plain = queue(&w, w.harbour, "bea@example.org", "Plain news", "Some text").await;
    let expired = NOW - Duration::seconds(longest) - Duration::hours(1);
    for (id, created) in [
        (reset, expired),
        (invitation, expired),
        (young, expired + Duration::hours(2)),
        (plain, expired),
    ] {
        sqlx::query("update email_outbox set created_at = $2 where id = $1")
            .bind(id)
            .bind(created)
            .execute(&w.app.db)
            .await
            .unwrap();
    }

    assert_eq!(
        retention::clear_undelivered_account_bodies(&w.app.db, NOW)
            .await
            .unwrap(),
        2
    );
    let db = &w.app.db;
    let state = |id: i64| async move {
        sqlx::query_as::<_, (String, i32, Option<String>)>(
            "select body, attempts, last_error from email_outbox where id = $1",
        )
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
    };
    for id in [reset, invitation] {
        let (body, attempts, error) = state(id).await;
        assert_eq!(body, "", "no link is kept");
        assert!(attempts >= 10, "no longer tried");
        assert!(error.unwrap().contains("expired"));
    }
    assert!(
        state(young).await.0.contains("another-token"),
        "not yet expired"
    );
    assert_eq!(state(plain).await.0, "Some text", "not an account email");
    assert_eq!(
        retention::clear_undelivered_account_bodies(&w.app.db, NOW)
            .await
            .unwrap(),
        0
    );
    // An admin's retry cannot send an empty email.
    let mut ana = ana(&w).await;
    ana.get(OUTBOX).await;
    let done = ana.post(&format!("{OUTBOX}/{invitation}/retry"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(ana.get(done.location()).await.has("Nothing to retry"));
    let due: Vec<i64> = notify_db::claim_due(&w.app.db, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert!(
        !due.contains(&reset) && !due.contains(&invitation),
        "{due:?}"
    );
}

#[tokio::test]
async fn prunes_notifications_read_over_180_days_ago_only() {
    let w = world().await;
    for (about, created, read) in [
        ("Read long ago", 400, Some(181)),
        ("Read almost half a year ago", 400, Some(179)),
        ("Never read", 400, None),
        ("Read yesterday", 2, Some(1)),
    ] {
        sqlx::query(
            "insert into notifications (space_id, membership_id, kind, grp, link, about,
                                        email_mode, created_at, read_at)
             values ($1, $2, 'kudos', 'kudos', 'trades/1', $3, 'none',
                     $4 - make_interval(days => $5), $4 - make_interval(days => $6))",
        )
        .bind(w.harbour.0)
        .bind(w.bea.0)
        .bind(about)
        .bind(NOW)
        .bind(created)
        .bind(read)
        .execute(&w.app.db)
        .await
        .unwrap();
    }
    let left = || async {
        sqlx::query_scalar::<_, String>("select about from notifications order by id")
            .fetch_all(&w.app.db)
            .await
            .unwrap()
    };
    assert_eq!(
        retention::prune_read_notifications(&w.app.db, NOW)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        left().await,
        [
            "Read almost half a year ago",
            "Never read",
            "Read yesterday"
        ]
    );
    assert_eq!(
        retention::prune_read_notifications(&w.app.db, NOW)
            .await
            .unwrap(),
        0
    );
    let later = NOW + Duration::days(2);
    assert_eq!(
        retention::prune_read_notifications(&w.app.db, later)
            .await
            .unwrap(),
        1
    );
    assert_eq!(left().await, ["Never read", "Read yesterday"]);
}
