//! Minimal admin pages: applications, invitations and the space's settings. Every action
//! is written to the audit log.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::admin::db as admin_db;
use crate::admin::limits::parse_limit;
use crate::admin::views::{
    ACCENTS, AdminIndexPage, ApplicationsPage, DeclinePage, InvitationsPage, JoinLink,
    SettingsPage, accent_choices,
};
use crate::audit;
use crate::ledger::db as ledger_db;
use crate::ledger::money::format_number;
use crate::members::db as members_db;
use crate::messages;
use crate::spaces::model::{InvitationId, MembershipId, SignupMode, Status};
use crate::spaces::service::Decision;
use crate::spaces::{db, invitations, service};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choices, invalid, page};
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

fn join_link(state: &AppState, admin: &Admin) -> JoinLink {
    JoinLink::new(
        &state.settings.base_url,
        &admin.space.slug,
        admin.space.signup_mode,
    )
}

pub async fn settings_form(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    let settings = admin_db::settings(&state.db, admin.space.id).await?;
    page(&SettingsPage {
        layout: admin.layout(messages::TITLE_SETTINGS),
        slug: admin.space.slug.clone(),
        space_name: settings.name,
        time_zone: settings.time_zone,
        modes: SignupMode::options(Some(settings.signup_mode)),
        auto_complete_days: settings.auto_complete_days.to_string(),
        listed: settings.listed,
        cancel_cutoff_hours: settings.cancel_cutoff_hours.to_string(),
        accents: accent_choices(&settings.accent_colour),
        currency_name: settings.currency_name,
        default_credit_limit: format_number(settings.default_credit_limit),
        space_limit: format_number(settings.space_limit),
        join: join_link(&state, &admin),
        errors: Errors::default(),
    })
}

pub async fn save_settings(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let name = errors.required(
        &form,
        "name",
        messages::LABEL_SPACE_NAME,
        80,
        messages::ENTER_SPACE_NAME,
    );
    let time_zone = errors.required(
        &form,
        "time_zone",
        messages::LABEL_TIME_ZONE,
        64,
        messages::ENTER_TIME_ZONE,
    );
    if !time_zone.is_empty()
        && !errors.has("time_zone")
        && !admin_db::is_time_zone(&state.db, &time_zone).await?
    {
        errors.add("time_zone", messages::TIME_ZONE_UNKNOWN);
    }
    let mode: Option<SignupMode> = errors.choice(&form, "signup_mode");
    let days = errors.number(
        &form,
        "auto_complete_days",
        messages::LABEL_AUTO_COMPLETE_DAYS,
        1,
        60,
    );
    let listed = form.text("listed") == "yes";
    let cutoff = errors.number(&form, "cancel_cutoff_hours", messages::LABEL_CUTOFF, 0, 720);
    let currency_name = errors.required(
        &form,
        "currency_name",
        messages::LABEL_CURRENCY,
        40,
        messages::ENTER_CURRENCY,
    );
    let limit = |field: &str, errors: &mut Errors| match parse_limit(form.text(field)) {
        Ok(limit) => Some(limit),
        Err(message) => {
            errors.add(field, message);
            None
        }
    };
    let default_limit = limit("default_credit_limit", &mut errors);
    let space_limit = limit("space_limit", &mut errors);
    let accent = form.text("accent_colour").to_owned();
    if !ACCENTS.iter().any(|(value, _)| *value == accent) {
        errors.add("accent_colour", messages::CHOOSE_ONE);
    }
    let (Some(signup_mode), Some(days), Some(cutoff), Some(default_limit), Some(space_limit), true) = (
        mode,
        days,
        cutoff,
        default_limit,
        space_limit,
        errors.is_empty(),
    ) else {
        return invalid(&SettingsPage {
            layout: admin.layout(messages::TITLE_SETTINGS),
            slug: admin.space.slug.clone(),
            space_name: name,
            time_zone,
            modes: SignupMode::options(mode.or(Some(admin.space.signup_mode))),
            auto_complete_days: form.text("auto_complete_days").to_owned(),
            listed,
            cancel_cutoff_hours: form.text("cancel_cutoff_hours").to_owned(),
            currency_name,
            accents: accent_choices(&accent),
            default_credit_limit: form.text("default_credit_limit").to_owned(),
            space_limit: form.text("space_limit").to_owned(),
            join: join_link(&state, &admin),
            errors,
        });
    };
    let settings = admin_db::Settings {
        name,
        signup_mode,
        time_zone,
        auto_complete_days: i32::try_from(days).unwrap_or(7),
        listed,
        cancel_cutoff_hours: i32::try_from(cutoff).unwrap_or(24),
        currency_name,
        accent_colour: accent,
        default_credit_limit: default_limit,
        space_limit,
    };
    let mut tx = state.db.begin().await?;
    admin_db::update_settings(&mut *tx, admin.space.id, &settings).await?;
    let space_account = ledger_db::space_account(&mut *tx, admin.space.id).await?;
    ledger_db::set_credit_limit(
        &mut *tx,
        admin.space.id,
        space_account,
        settings.space_limit,
    )
    .await?;
    audit::record(
        &mut *tx,
        Some(admin.space.id),
        Some(admin.person.id),
        "space.settings_changed",
        &format!("space:{}", admin.space.slug),
        json!({
            "name": settings.name,
            "signup_mode": settings.signup_mode.as_str(),
            "time_zone": settings.time_zone,
            "auto_complete_days": settings.auto_complete_days,
            "listed": settings.listed,
            "cancel_cutoff_hours": settings.cancel_cutoff_hours,
            "currency_name": settings.currency_name,
            "accent_colour": settings.accent_colour,
            "default_credit_limit": format_number(settings.default_credit_limit),
            "space_limit": format_number(settings.space_limit),
        }),
        ip.0,
    )
    .await?;
    tx.commit().await?;
    admin.ctx.flash("settings-saved");
    Ok(Redirect::to(&format!("/s/{}/admin/settings", admin.space.slug)).into_response())
}
