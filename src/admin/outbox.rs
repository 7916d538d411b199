//! The space's outbox for its admins (SPEC §7): every email with where it stands, one
//! email's text (never an account email's), and a retry for one that failed, audited.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};

use crate::admin::service::{self, Retry};
use crate::admin::views::{EmailText, OutboxEmailPage, OutboxPage, OutboxRow};
use crate::messages;
use crate::notify::db::{self as notify_db, OutboxEmail, OutboxLine};
use crate::notify::outbox::{Delivery, Shown};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp, PathId};
use crate::web::form::{FormData, encode_query};
use crate::web::html::{Choices, invalid, local_when, page};
use crate::web::pager::Pager;
use crate::web::state::AppState;

const PAGE_SIZE: i64 = 50;

/// How much of an error the list shows.
const ERROR_CHARS: usize = 120;

fn shortened(text: &str) -> String {
    crate::web::html::truncate(text, ERROR_CHARS)
}

fn row(line: &OutboxLine) -> OutboxRow {
    let error = line.last_error.as_deref().unwrap_or("");
    OutboxRow {
        id: line.id,
        to: line.to_address.clone(),
        subject: line.subject.clone(),
        delivery: Delivery::of(line.sent, line.attempts, line.last_error.is_some()),
        attempts: line.attempts,
        error: shortened(error),
        created: local_when(line.created),
    }
}

/// The space's emails, newest first; `?status=` filters them, `?page=` pages them.
pub async fn list(State(state): State<AppState>, admin: Admin, uri: Uri) -> AppResult<Response> {
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let mut errors = params.errors();
    let shown = match params.text("status").trim() {
        "" => Shown::All,
        _ => errors
            .choice::<Shown>(&params, "status")
            .unwrap_or(Shown::All),
    };
    let filters = match shown {
        Shown::All => String::new(),
        _ => encode_query(&[("status", shown.as_str())]),
    };
    let total = notify_db::outbox_count(&state.db, admin.space.id, shown).await?;
    let pager = Pager::new(Pager::requested(&params), PAGE_SIZE, total)
        .at(format!("/s/{}/admin/outbox", admin.space.slug), &filters)
        .named(messages::OUTBOX_PAGES, "emails")
        .newest_first("#emails");
    let lines =
        notify_db::outbox(&state.db, admin.space.id, shown, PAGE_SIZE, pager.offset()).await?;
    let view = OutboxPage {
        layout: admin.layout(pager.title(messages::TITLE_OUTBOX)),
        slug: admin.space.slug.clone(),
        rows: lines.iter().map(row).collect(),
        statuses: Shown::options(Some(shown)),
        filtered: shown != Shown::All,
        pager,
        errors,
    };
    if view.errors.is_empty() {
        page(&view)
    } else {
        invalid(&view)
    }
}

fn email_page(admin: &Admin, email: OutboxEmail) -> OutboxEmailPage {
    let delivery = Delivery::of(
        email.sent.is_some(),
        email.attempts,
        email.last_error.is_some(),
    );
    let text = if email.account_email {
        EmailText::AccountEmail
    } else if email.sent.is_some() && email.body.is_empty() {
        EmailText::Cleared
    } else {
        EmailText::Shown(email.body)
    };
    let still_tried = matches!(delivery, Delivery::Queued | Delivery::Failed);
    OutboxEmailPage {
        layout: admin.layout(messages::outbox_email_title(&email.subject)),
        slug: admin.space.slug.clone(),
        email: OutboxRow {
            id: email.id,
            to: email.to_address,
            subject: email.subject,
            delivery,
            attempts: email.attempts,
            error: String::new(),
            created: local_when(email.created),
        },
        error: email.last_error,
        sent: email.sent.map(local_when),
        next_attempt: still_tried.then(|| local_when(email.next_attempt)),
        text,
    }
}

/// One email of the space: where it stands, and its text unless it is an account email.
pub async fn email(
    State(state): State<AppState>,
    admin: Admin,
    PathId(id): PathId,
) -> AppResult<Response> {
    let email = notify_db::outbox_email(&state.db, admin.space.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    page(&email_page(&admin, email))
}

/// Sends a failed email back to the queue for a try now, and back to its page.
pub async fn retry(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let outcome = service::retry_email(&mut tx, admin.actor(&ip), id).await?;
    tx.commit().await?;
    match outcome {
        Retry::Queued => admin.ctx.flash("email-retried"),
        Retry::NothingToRetry => admin.ctx.flash("email-not-retried"),
        Retry::NoSuchEmail => return Err(AppError::NotFound),
    }
    Ok(Redirect::to(&format!("/s/{}/admin/outbox/{id}", admin.space.slug)).into_response())
}
