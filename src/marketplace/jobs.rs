//! The marketplace's clock: every minute, listings past their expiry close and their
//! owners are warned three days before; delivered trades are reminded of, then complete
//! themselves after the space's waiting days. Every instance runs it; each step is safe to
//! run at once on several.

use std::time::Duration;

use sqlx::PgPool;

pub async fn run_forever(db: PgPool) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        let now = time::OffsetDateTime::now_utc();
        match crate::marketplace::db::close_expired(&db, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(listings = n, "expired listings closed"),
            Err(err) => tracing::warn!(error = %err, "listing expiry failed"),
        }
        match crate::marketplace::db::warn_expiring(&db, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(listings = n, "owners warned of listings about to expire"),
            Err(err) => tracing::warn!(error = %err, "listing expiry warnings failed"),
        }
        match crate::trades::db::remind_before_auto_complete(&db, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(trades = n, "parties reminded of trades completing tomorrow"),
            Err(err) => tracing::warn!(error = %err, "trade reminders failed"),
        }
        match crate::trades::service::auto_complete(&db, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(trades = n, "delivered trades completed"),
            Err(err) => tracing::warn!(error = %err, "trade auto-completion failed"),
        }
    }
}
