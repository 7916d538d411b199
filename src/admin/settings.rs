//! The space's settings: its name, time zone, how people join, its credits and colour,
//! limits and room cancelling, saved with one audit record.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::admin::db as admin_db;
use crate::admin::handlers::join_link;
use crate::admin::limits::parse_limit;
use crate::admin::views::{ACCENTS, SettingsPage, accent_choices};
use crate::audit;
use crate::ledger::db as ledger_db;
use crate::ledger::money::format_number;
use crate::messages;
use crate::spaces::model::SignupMode;
use crate::web::error::AppResult;
use crate::web::extract::{Admin, ClientIp};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choices, invalid, page};
use crate::web::state::AppState;

pub async fn form(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
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

pub async fn save(
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
