//! Retention, on a clock the test passes: email texts go 7 days after delivery, read
//! notifications 180 days after they were read, and nothing else goes.

use swapdesk::notify::retention;
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
