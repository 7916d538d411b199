//! Notifications (SPEC §7): an inbox written in the same transaction as each event
//! (`inbox`), and email, written to an outbox in the same transaction as what caused it,
//! then sent through SMTP by a background worker, or logged.

pub mod db;
pub mod handlers;
pub mod inbox;
pub mod jobs;
pub mod mailer;
pub mod model;
pub mod outbox;
pub mod retention;
pub mod unsubscribe;
pub mod views;

use std::sync::atomic::{AtomicBool, Ordering};

use askama::Template;
use sqlx::PgConnection;

use crate::spaces::model::SpaceId;
use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/s/{slug}/inbox", Access::Member, handlers::inbox),
        Route::post(
            "/s/{slug}/inbox/read",
            Access::Member,
            handlers::mark_all_read,
        ),
        Route::post(
            "/s/{slug}/inbox/{id}/read",
            Access::Owner,
            handlers::mark_read,
        ),
        Route::get(
            "/s/{slug}/inbox/email",
            Access::Member,
            handlers::email_form,
        ),
        Route::post(
            "/s/{slug}/inbox/email",
            Access::Member,
            handlers::save_email,
        ),
        Route::get("/unsubscribe/{token}", Access::Public, unsubscribe::form),
        Route::post(
            "/unsubscribe/{token}",
            Access::Public,
            unsubscribe::unsubscribe,
        )
        .csrf_exempt(
            "RFC 8058 one-click: the mail client posts with no session or token; the signed \
             link is the authority, and it can only turn one group's email off",
        ),
    ]
}

/// Whether queued email is also written to the log: only while no SMTP server is set, so
/// a developer can follow a reset link, and a live server never logs one.
static LOG_BODIES: AtomicBool = AtomicBool::new(true);

/// Called at start with whether SMTP delivery is configured.
pub fn delivering_by_smtp(smtp: bool) {
    LOG_BODIES.store(!smtp, Ordering::Relaxed);
}

/// Renders an email template and queues it. Without SMTP the message is also logged.
pub async fn send<T: Template + EmailSubject>(
    conn: &mut PgConnection,
    space: Option<SpaceId>,
    to: &str,
    email: &T,
) -> anyhow::Result<()> {
    let body = email.render()?;
    let subject = email.subject();
    let id = db::enqueue(
        conn,
        space,
        to,
        &subject,
        &body,
        email.carries_sign_in_link(),
    )
    .await?;
    if LOG_BODIES.load(Ordering::Relaxed) {
        tracing::info!(outbox_id = id, to, subject, body = %body, "email queued");
    } else {
        tracing::info!(outbox_id = id, subject, "email queued");
    }
    Ok(())
}

pub trait EmailSubject {
    fn subject(&self) -> String;

    /// An account email (confirmation, reset) carries a link that signs its holder in: its
    /// body is cleared once delivered, and admins never read it (SPEC §7).
    fn carries_sign_in_link(&self) -> bool {
        false
    }
}
