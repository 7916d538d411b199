//! The space's settings: its name and address, time zone, how people join, its credits and
//! colour, limits and room cancelling, saved in one transaction with their audit records.
//! A new address keeps the old one as a former slug, so old links lead to the new one
//! (`spaces::slugs`, `web::moved`).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use sqlx::PgConnection;

use crate::admin::db::{self as admin_db, Settings};
use crate::admin::handlers::join_link;
use crate::admin::limits::parse_limit;
use crate::admin::views::{ACCENTS, SettingsPage, accent_choices};
use crate::audit;
use crate::ledger::db as ledger_db;
use crate::ledger::money::format_number;
use crate::messages;
use crate::spaces::model::{SignupMode, valid_slug};
use crate::spaces::slugs::{self, Moved};
use crate::web::error::AppResult;
use crate::web::extract::{Admin, ClientIp};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choices, invalid, page};
use crate::web::state::AppState;

/// The hint under the address: where the space's pages are now.
fn address_hint(state: &AppState, admin: &Admin) -> String {
    messages::slug_hint(&format!(
        "{}/s/{}",
        state.settings.base_url, admin.space.slug
    ))
}

pub async fn form(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    let settings = admin_db::settings(&state.db, admin.space.id).await?;
    page(&SettingsPage {
        layout: admin.layout(messages::TITLE_SETTINGS),
        slug: admin.space.slug.clone(),
        address: admin.space.slug.clone(),
        address_hint: address_hint(&state, &admin),
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

/// The form again as it was sent, with what is wrong beside its fields.
fn refill(state: &AppState, admin: &Admin, form: &FormData, errors: Errors) -> SettingsPage {
    let text = |field: &str| form.text(field).trim().to_owned();
    SettingsPage {
        layout: admin.layout(messages::TITLE_SETTINGS),
        slug: admin.space.slug.clone(),
        address: form
            .get("slug")
            .map_or_else(|| admin.space.slug.clone(), |s| s.trim().to_owned()),
        address_hint: address_hint(state, admin),
        space_name: text("name"),
        time_zone: text("time_zone"),
        modes: SignupMode::options(
            SignupMode::parse(form.text("signup_mode")).or(Some(admin.space.signup_mode)),
        ),
        auto_complete_days: text("auto_complete_days"),
        listed: form.text("listed") == "yes",
        cancel_cutoff_hours: text("cancel_cutoff_hours"),
        currency_name: text("currency_name"),
        accents: accent_choices(form.text("accent_colour")),
        default_credit_limit: text("default_credit_limit"),
        space_limit: text("space_limit"),
        join: join_link(state, admin),
        errors,
    }
}

/// The address the form asks for, held to the rules a new space's slug is (`valid_slug`),
/// and free: no other space's, now or formerly. A form without the field (a page opened
/// before the field existed) leaves the address as it is.
async fn address(
    state: &AppState,
    admin: &Admin,
    form: &FormData,
    errors: &mut Errors,
) -> AppResult<String> {
    if form.get("slug").is_none() {
        return Ok(admin.space.slug.clone());
    }
    let slug = errors.required(form, "slug", messages::LABEL_SLUG, 40, messages::ENTER_SLUG);
    if errors.has("slug") || slug == admin.space.slug {
        return Ok(slug);
    }
    if !valid_slug(&slug) {
        errors.add("slug", messages::SLUG_FORMAT);
    } else if slugs::holder(&state.db, &slug)
        .await?
        .is_some_and(|holder| holder != admin.space.id)
    {
        errors.add("slug", messages::SLUG_TAKEN);
    }
    Ok(slug)
}

/// Checks every field; the settings and the address when all are right, None otherwise
/// (with `errors` saying why).
async fn check(
    state: &AppState,
    admin: &Admin,
    form: &FormData,
    errors: &mut Errors,
) -> AppResult<Option<(Settings, String)>> {
    let name = errors.required(
        form,
        "name",
        messages::LABEL_SPACE_NAME,
        80,
        messages::ENTER_SPACE_NAME,
    );
    let slug = address(state, admin, form, errors).await?;
    let time_zone = errors.required(
        form,
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
    let mode: Option<SignupMode> = errors.choice(form, "signup_mode");
    let days = errors.number(
        form,
        "auto_complete_days",
        messages::LABEL_AUTO_COMPLETE_DAYS,
        1,
        60,
    );
    let cutoff = errors.number(form, "cancel_cutoff_hours", messages::LABEL_CUTOFF, 0, 720);
    let currency_name = errors.required(
        form,
        "currency_name",
        messages::LABEL_CURRENCY,
        40,
        messages::ENTER_CURRENCY,
    );
    let mut limit = |field: &str| match parse_limit(form.text(field)) {
        Ok(limit) => Some(limit),
        Err(message) => {
            errors.add(field, message);
            None
        }
    };
    let default_limit = limit("default_credit_limit");
    let space_limit = limit("space_limit");
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
        return Ok(None);
    };
    let settings = Settings {
        name,
        signup_mode,
        time_zone,
        auto_complete_days: i32::try_from(days).unwrap_or(7),
        listed: form.text("listed") == "yes",
        cancel_cutoff_hours: i32::try_from(cutoff).unwrap_or(24),
        currency_name,
        accent_colour: accent,
        default_credit_limit: default_limit,
        space_limit,
    };
    Ok(Some((settings, slug)))
}

/// Saves the settings. A new address is taken first, in the same transaction: if another
/// space got it since the form was checked, nothing is saved and the form comes back.
pub async fn save(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let checked = check(&state, &admin, &form, &mut errors).await?;
    let Some((settings, slug)) = checked.filter(|_| errors.is_empty()) else {
        return invalid(&refill(&state, &admin, &form, errors));
    };
    let mut tx = state.db.begin().await?;
    if slug != admin.space.slug {
        let from = &admin.space.slug;
        let refusal = match slugs::change(&mut tx, admin.actor(&ip), from, &slug).await? {
            Moved::Done => None,
            Moved::Taken => Some(messages::SLUG_TAKEN),
            Moved::Stale => Some(messages::FORM_OUT_OF_DATE),
        };
        if let Some(message) = refusal {
            tx.rollback().await?;
            errors.add("slug", message);
            return invalid(&refill(&state, &admin, &form, errors));
        }
    }
    store(&mut tx, &admin, &ip, &settings, &slug).await?;
    tx.commit().await?;
    admin.ctx.flash("settings-saved");
    Ok(Redirect::to(&format!("/s/{slug}/admin/settings")).into_response())
}

/// Writes the settings, the space account's limit and the audit record, in the caller's
/// transaction. The record names the space by its address after the save.
async fn store(
    conn: &mut PgConnection,
    admin: &Admin,
    ip: &ClientIp,
    settings: &Settings,
    slug: &str,
) -> AppResult<()> {
    admin_db::update_settings(&mut *conn, admin.space.id, settings).await?;
    let space_account = ledger_db::space_account(&mut *conn, admin.space.id).await?;
    ledger_db::set_credit_limit(
        &mut *conn,
        admin.space.id,
        space_account,
        settings.space_limit,
    )
    .await?;
    audit::record(
        &mut *conn,
        Some(admin.space.id),
        Some(admin.person.id),
        "space.settings_changed",
        &format!("space:{slug}"),
        json!({
            "name": settings.name,
            "slug": slug,
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
    Ok(())
}
