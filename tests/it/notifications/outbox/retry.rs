//! A retry sends a failed email of the space back to the queue, audited; for another
//! space's email, for one that has not failed, or without its CSRF token, nothing changes.

use axum::http::StatusCode;
use swapdesk::notify::db as notify_db;

use super::{NOT_FOUND, OUTBOX, ana, change, failed, queue, retries_audited, row, world};

#[tokio::test]
async fn retrying_a_given_up_email_queues_it_for_now_keeps_its_error_and_is_audited() {
    let w = world().await;
    let id = failed(&w, w.harbour, "Daily digest", 10, "connection refused").await;
    let mut ana = ana(&w).await;
    let page = ana.get(&format!("{OUTBOX}/{id}")).await;
    assert!(page.has(">Gave up<") && page.has("Try sending it again now"));
    assert!(
        notify_db::claim_due(&w.app.db, 20)
            .await
            .unwrap()
            .is_empty()
    );

    let done = ana.post(&format!("{OUTBOX}/{id}/retry"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), format!("{OUTBOX}/{id}"));
    let back = ana.get(done.location()).await;
    assert!(back.has("The email is back in the queue"), "{}", back.body);
    assert_eq!(
        row(&w, id).await,
        (0, Some("connection refused".to_owned()), true)
    );
    let (actor, subject, attempts): (i64, String, i64) = sqlx::query_as(
        "select actor_id, subject, (detail ->> 'attempts')::bigint from audit_log
         where action = 'email.retried' and space_id = $1",
    )
    .bind(w.harbour.0)
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(
        (actor, subject, attempts),
        (w.ana.0, format!("email:{id}"), 10)
    );
    let claimed = notify_db::claim_due(&w.app.db, 20).await.unwrap();
    assert_eq!(claimed.iter().map(|e| e.id).collect::<Vec<_>>(), [id]);
}

#[tokio::test]
async fn retrying_a_failed_email_the_mailer_still_tries_brings_its_next_try_forward() {
    let w = world().await;
    let id = failed(&w, w.harbour, "Kudos for you", 3, "451 try again later").await;
    let mut ana = ana(&w).await;
    let page = ana.get(&format!("{OUTBOX}/{id}")).await;
    assert!(page.has(">Failed<") && page.has("Swapdesk tries again later by itself"));
    let done = ana.post(&format!("{OUTBOX}/{id}/retry"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        row(&w, id).await,
        (0, Some("451 try again later".to_owned()), true)
    );
    assert_eq!(retries_audited(&w).await, 1);
}

#[tokio::test]
async fn retrying_an_email_that_has_not_failed_changes_nothing() {
    let w = world().await;
    let sent = queue(&w, w.harbour, "bea@example.org", "Your trade", "Hi").await;
    change(&w, sent, "sent_at = now(), attempts = 1").await;
    let mut ana = ana(&w).await;
    ana.get(OUTBOX).await;
    let done = ana.post(&format!("{OUTBOX}/{sent}/retry"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(ana.get(done.location()).await.has("Nothing to retry"));
    assert_eq!(row(&w, sent).await.0, 1);
    assert_eq!(retries_audited(&w).await, 0);
}

#[tokio::test]
async fn retrying_another_spaces_email_is_not_found_and_changes_nothing() {
    let w = world().await;
    let theirs = failed(&w, w.other, "Other space news", 10, "connection refused").await;
    let mut ana = ana(&w).await;
    ana.get(OUTBOX).await;
    let page = ana.post(&format!("{OUTBOX}/{theirs}/retry"), &[]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.has(NOT_FOUND));
    assert_eq!(
        ana.get(&format!("{OUTBOX}/{theirs}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        row(&w, theirs).await,
        (10, Some("connection refused".to_owned()), false)
    );
    assert_eq!(retries_audited(&w).await, 0);
}

#[tokio::test]
async fn a_retry_without_its_csrf_token_is_refused() {
    let w = world().await;
    let id = failed(&w, w.harbour, "Daily digest", 10, "connection refused").await;
    let mut ana = ana(&w).await;
    ana.get(&format!("{OUTBOX}/{id}")).await;
    let page = ana.post_raw(&format!("{OUTBOX}/{id}/retry"), "").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.has("This form has expired or did not come from this site"));
    assert_eq!(row(&w, id).await.0, 10);
    assert_eq!(retries_audited(&w).await, 0);
}
