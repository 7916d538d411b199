//! The admins' side of moderation (SPEC §6.3): the queue of reports, what is hidden now,
//! and each reported (or noticed) thing's page, where an admin hides or restores a listing
//! or a kudos note, or closes its reports without hiding it, always with a reason.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::messages;
use crate::moderation::db;
use crate::moderation::handlers::SubjectPath;
use crate::moderation::model::Thing;
use crate::moderation::service::{self, Decision};
use crate::moderation::views::{ItemPage, QueuePage};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp};
use crate::web::form::{Errors, FormData};
use crate::web::html::{invalid, page};
use crate::web::state::AppState;

/// The author reads the reason; it is a sentence or two.
const REASON_MAX: usize = 500;

pub async fn queue(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    let space = admin.space.id;
    let open = db::reports(&state.db, space, true, None, 200).await?;
    let hidden = db::hidden(&state.db, space).await?;
    let closed = db::reports(&state.db, space, false, None, 50).await?;
    page(&QueuePage {
        layout: admin.layout(messages::TITLE_REPORTS),
        slug: admin.space.slug.clone(),
        open: open.into_iter().map(Into::into).collect(),
        hidden: hidden.into_iter().map(Into::into).collect(),
        closed: closed.into_iter().map(Into::into).collect(),
    })
}

async fn thing(state: &AppState, admin: &Admin, path: &SubjectPath) -> AppResult<Thing> {
    db::thing(&state.db, admin.space.id, path.0, path.1)
        .await?
        .ok_or(AppError::NotFound)
}

async fn item_page(
    state: &AppState,
    admin: &Admin,
    thing: &Thing,
    (reason, note): (String, String),
    errors: Errors,
) -> AppResult<ItemPage> {
    let reports = db::reports(
        &state.db,
        admin.space.id,
        true,
        Some((thing.subject, thing.id)),
        100,
    )
    .await?;
    Ok(ItemPage {
        layout: admin.layout(messages::moderate(&thing.describe())),
        slug: admin.space.slug.clone(),
        thing: thing.into(),
        has_open: reports.iter().any(|r| r.closed_at.is_none()),
        reports: reports.into_iter().map(Into::into).collect(),
        reason,
        note,
        note_label: if thing.subject.hideable() {
            messages::LABEL_CLOSED_WITHOUT_HIDING
        } else {
            messages::LABEL_WHAT_WAS_DONE
        },
        errors,
    })
}

pub async fn item(
    State(state): State<AppState>,
    admin: Admin,
    path: SubjectPath,
) -> AppResult<Response> {
    let thing = thing(&state, &admin, &path).await?;
    page(
        &item_page(
            &state,
            &admin,
            &thing,
            Default::default(),
            Errors::default(),
        )
        .await?,
    )
}

async fn decide(
    state: &AppState,
    admin: &Admin,
    ip: &ClientIp,
    path: &SubjectPath,
    decision: Decision,
    form: &FormData,
) -> AppResult<Response> {
    let thing = thing(state, admin, path).await?;
    if decision != Decision::Dismiss && !thing.subject.hideable() {
        return Err(AppError::NotFound);
    }
    let mut errors = form.errors();
    let (field, label, missing) = match decision {
        Decision::Dismiss => (
            "note",
            messages::LABEL_WHAT_WAS_DONE,
            messages::SAY_WHAT_WAS_DONE,
        ),
        Decision::Hide | Decision::Restore => {
            ("reason", messages::LABEL_REASON, messages::SAY_WHY_HIDE)
        }
    };
    let reason = errors.paragraph(form, field, label, REASON_MAX, missing);
    if !errors.is_empty() {
        let kept = if decision == Decision::Dismiss {
            (String::new(), reason)
        } else {
            (reason, String::new())
        };
        return invalid(&item_page(state, admin, &thing, kept, errors).await?);
    }
    let mut tx = state.db.begin().await?;
    let done = service::decide(
        &mut tx,
        admin.actor(ip),
        admin.membership.id,
        &thing,
        decision,
        &reason,
    )
    .await?;
    tx.commit().await?;
    admin.ctx.flash(match (done, decision) {
        (false, _) => "moderation-unchanged",
        (true, Decision::Hide) => "moderation-hidden",
        (true, Decision::Restore) => "moderation-restored",
        (true, Decision::Dismiss) => "reports-closed",
    });
    let back = format!(
        "/s/{}/admin/reports/{}/{}",
        admin.space.slug,
        thing.subject.as_str(),
        thing.id
    );
    Ok(Redirect::to(&back).into_response())
}

pub async fn hide(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    path: SubjectPath,
    form: FormData,
) -> AppResult<Response> {
    decide(&state, &admin, &ip, &path, Decision::Hide, &form).await
}

pub async fn restore(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    path: SubjectPath,
    form: FormData,
) -> AppResult<Response> {
    decide(&state, &admin, &ip, &path, Decision::Restore, &form).await
}

pub async fn dismiss(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    path: SubjectPath,
    form: FormData,
) -> AppResult<Response> {
    decide(&state, &admin, &ip, &path, Decision::Dismiss, &form).await
}
