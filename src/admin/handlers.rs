//! Minimal admin pages: the admin home, applications and invitations (the settings are in
//! `settings`). Every action is written to the audit log.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::admin::views::{
    AdminIndexPage, ApplicationsPage, DeclinePage, InvitationsPage, JoinLink,
};
use crate::audit;
use crate::members::db as members_db;
use crate::messages;
use crate::spaces::model::{InvitationId, MembershipId, Status};
use crate::spaces::service::Decision;
use crate::spaces::{db, invitations, service};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{invalid, page};
use crate::web::session::{hash_token, random_token};
use crate::web::state::AppState;

/// The longest reason a decline may carry to the applicant.
const REASON_MAX: usize = 500;

pub async fn index(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    let pending = db::pending_applicants(&state.db, admin.space.id)
        .await?
        .len();
    page(&AdminIndexPage {
        layout: admin.layout(messages::TITLE_ADMIN),
        slug: admin.space.slug.clone(),
        pending,
        join: join_link(&state, &admin),
    })
}

/// The applications waiting; `?approved=<membership>` names who was just let in.
pub async fn applications(
    State(state): State<AppState>,
    admin: Admin,
    uri: Uri,
) -> AppResult<Response> {
    let mut layout = admin.layout(messages::TITLE_APPLICATIONS);
    let approved = FormData::parse(uri.query().unwrap_or("").as_bytes())
        .text("approved")
        .parse::<i64>()
        .ok();
    if let Some(id) = approved
        && let Some(p) = members_db::profile(&state.db, admin.space.id, MembershipId(id)).await?
        && p.status == Status::Active
    {
        layout.flash = Some(messages::approved_notice(&p.display_name));
    }
    page(&ApplicationsPage {
        layout,
        slug: admin.space.slug.clone(),
        applicants: db::pending_applicants(&state.db, admin.space.id).await?,
    })
}

pub async fn approve(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
) -> AppResult<Response> {
    decide(&state, &admin, &ip, MembershipId(id), Decision::Approve).await
}

pub async fn decline_form(
    State(state): State<AppState>,
    admin: Admin,
    PathId(id): PathId,
) -> AppResult<Response> {
    let applicant = db::pending_applicants(&state.db, admin.space.id)
        .await?
        .into_iter()
        .find(|a| a.membership_id == MembershipId(id))
        .ok_or(AppError::NotFound)?;
    page(&DeclinePage {
        layout: admin.layout(messages::decline_title(&applicant.display_name)),
        slug: admin.space.slug.clone(),
        applicant,
        reason: String::new(),
        errors: Errors::default(),
    })
}

/// Declines with an optional reason, which the applicant receives by email.
pub async fn decline(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let reason = errors.optional(&form, "reason", messages::LABEL_REASON, REASON_MAX);
    if !errors.is_empty() {
        let applicant = db::pending_applicants(&state.db, admin.space.id)
            .await?
            .into_iter()
            .find(|a| a.membership_id == MembershipId(id))
            .ok_or(AppError::NotFound)?;
        return invalid(&DeclinePage {
            layout: admin.layout(messages::decline_title(&applicant.display_name)),
            slug: admin.space.slug.clone(),
            applicant,
            reason,
            errors,
        });
    }
    decide(
        &state,
        &admin,
        &ip,
        MembershipId(id),
        Decision::Decline(&reason),
    )
    .await
}

async fn decide(
    state: &AppState,
    admin: &Admin,
    ip: &ClientIp,
    membership: MembershipId,
    decision: Decision<'_>,
) -> AppResult<Response> {
    let space = &admin.space;
    let mut tx = state.db.begin().await?;
    let base = &state.settings.base_url;
    service::decide_application(&mut tx, admin.actor(ip), base, space, membership, decision)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let list = format!("/s/{}/admin/applications", space.slug);
    Ok(match decision {
        Decision::Approve => Redirect::to(&format!("{list}?approved={membership}")),
        Decision::Decline(_) => {
            admin.ctx.flash("declined");
            Redirect::to(&list)
        }
    }
    .into_response())
}

async fn invitations_page(
    state: &AppState,
    admin: &Admin,
    new_link: Option<String>,
    note: String,
    days: String,
    errors: Errors,
) -> AppResult<InvitationsPage> {
    Ok(InvitationsPage {
        layout: admin.layout(messages::TITLE_INVITATIONS),
        slug: admin.space.slug.clone(),
        invitations: invitations::invitations(&state.db, admin.space.id).await?,
        new_link,
        note,
        days,
        errors,
    })
}

pub async fn invitations(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    page(
        &invitations_page(
            &state,
            &admin,
            None,
            String::new(),
            "14".to_owned(),
            Errors::default(),
        )
        .await?,
    )
}

pub async fn create_invitation(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let note = errors.optional(&form, "note", messages::LABEL_INVITATION_NOTE, 200);
    let days = errors.number(&form, "days", messages::LABEL_LINK_DAYS, 1, 30);
    let Some(days) = days.filter(|_| errors.is_empty()) else {
        let page = invitations_page(
            &state,
            &admin,
            None,
            note,
            form.text("days").to_owned(),
            errors,
        )
        .await?;
        return invalid(&page);
    };
    let token = random_token();
    let mut tx = state.db.begin().await?;
    let id = invitations::create_invitation(
        &mut *tx,
        admin.space.id,
        &hash_token(&token),
        &note,
        admin.person.id,
        days,
        None,
    )
    .await?;
    audit::record(
        &mut *tx,
        Some(admin.space.id),
        Some(admin.person.id),
        "invitation.created",
        &format!("invitation:{id}"),
        json!({ "note": note, "days": days }),
        ip.0,
    )
    .await?;
    tx.commit().await?;
    let link = format!("{}/invite/{token}", state.settings.base_url);
    // Shown once, now: only the token's hash is stored.
    let mut page_data = invitations_page(
        &state,
        &admin,
        Some(link),
        String::new(),
        "14".to_owned(),
        Errors::default(),
    )
    .await?;
    page_data.layout.flash = messages::flash("invite-created").map(str::to_owned);
    page(&page_data)
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
) -> AppResult<Response> {
    let id = InvitationId(id);
    let mut tx = state.db.begin().await?;
    if !invitations::revoke_invitation(&mut *tx, admin.space.id, id).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        Some(admin.space.id),
        Some(admin.person.id),
        "invitation.revoked",
        &format!("invitation:{id}"),
        json!({}),
        ip.0,
    )
    .await?;
    tx.commit().await?;
    admin.ctx.flash("invite-revoked");
    Ok(Redirect::to(&format!("/s/{}/admin/invitations", admin.space.slug)).into_response())
}

pub(super) fn join_link(state: &AppState, admin: &Admin) -> JoinLink {
    JoinLink::new(
        &state.settings.base_url,
        &admin.space.slug,
        admin.space.signup_mode,
    )
}
