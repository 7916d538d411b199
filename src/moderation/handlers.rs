//! Members report what they see: a listing, a kudos note, a message of their trade, or a
//! member. The report waits for the space's admins.

use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use crate::messages;
use crate::moderation::db;
use crate::moderation::model::{Subject, Thing};
use crate::moderation::service;
use crate::moderation::views::ReportPage;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{ClientIp, Member};
use crate::web::form::{Errors, FormData};
use crate::web::html::{invalid, page};
use crate::web::state::AppState;

/// A reason is a few sentences.
pub const REASON_MAX: usize = 1000;

/// The `{subject}/{id}` of a report's or a moderation page's path; anything else is a 404.
pub struct SubjectPath(pub Subject, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for SubjectPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let get = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
        let subject = get("subject").and_then(Subject::parse);
        let id = get("id").and_then(|v| v.parse::<i64>().ok());
        subject
            .zip(id)
            .map(|(s, id)| SubjectPath(s, id))
            .ok_or(AppError::NotFound)
    }
}

/// The thing, if this member may report it; others' and hidden ones are not found.
async fn reportable(state: &AppState, member: &Member, path: &SubjectPath) -> AppResult<Thing> {
    db::thing(&state.db, member.space.id, path.0, path.1)
        .await?
        .filter(|t| t.reportable_by(member.membership.id))
        .ok_or(AppError::NotFound)
}

fn report_page(member: &Member, thing: &Thing, reason: String, errors: Errors) -> ReportPage {
    ReportPage {
        layout: member.layout(messages::TITLE_REPORT),
        slug: member.space.slug.clone(),
        thing: thing.into(),
        reason,
        errors,
    }
}

pub async fn report_form(
    State(state): State<AppState>,
    member: Member,
    path: SubjectPath,
) -> AppResult<Response> {
    let thing = reportable(&state, &member, &path).await?;
    page(&report_page(
        &member,
        &thing,
        String::new(),
        Errors::default(),
    ))
}

pub async fn report(
    State(state): State<AppState>,
    member: Member,
    ip: ClientIp,
    path: SubjectPath,
    form: FormData,
) -> AppResult<Response> {
    let thing = reportable(&state, &member, &path).await?;
    let mut errors = form.errors();
    let reason = errors.paragraph(
        &form,
        "reason",
        messages::LABEL_REPORT_REASON,
        REASON_MAX,
        messages::SAY_WHY_REPORT,
    );
    if !errors.is_empty() {
        return invalid(&report_page(&member, &thing, reason, errors));
    }
    let mut tx = state.db.begin().await?;
    let filed = service::report(
        &mut tx,
        member.actor(&ip),
        member.membership.id,
        &thing,
        &reason,
    )
    .await?;
    tx.commit().await?;
    member.ctx.flash(if filed {
        "report-sent"
    } else {
        "report-already"
    });
    Ok(Redirect::to(&format!("/s/{}{}", member.space.slug, thing.path)).into_response())
}
