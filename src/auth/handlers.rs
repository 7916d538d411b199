//! Sign in and out, and account settings. Mailed links (reset, confirm) are `links`.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::audit;
use crate::auth::service::{self, PasswordEvent};
use crate::auth::views::{AccountPage, SignInPage};
use crate::auth::{db, password, throttle};
use crate::messages;
use crate::spaces::db as spaces_db;
use crate::web::error::AppResult;
use crate::web::extract::{ClientIp, SignedIn};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Layout, invalid, page};
use crate::web::session::Ctx;
use crate::web::session::db as session_db;
use crate::web::state::AppState;

/// Only local paths are followed after sign-in, never another site. Browsers ignore tabs
/// and line breaks in URLs ("/\t/evil.example" is "//evil.example"), so only printable
/// ASCII is accepted, and the second character may not start a host.
fn safe_next(next: &str) -> &str {
    let bytes = next.as_bytes();
    let local = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/') | Some(b'\\'))
        && bytes.iter().all(|b| b.is_ascii_graphic())
        && !next.contains('\\');
    if local { next } else { "/" }
}

pub async fn signin_form(ctx: Ctx, uri: Uri) -> AppResult<Response> {
    let query = FormData::parse(uri.query().unwrap_or("").as_bytes());
    if ctx.person().is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let csrf = ctx.ensure_csrf();
    page(&SignInPage {
        layout: Layout::new(messages::TITLE_SIGN_IN, &ctx).with_csrf(csrf),
        email: String::new(),
        next: safe_next(query.get("next").unwrap_or("/")).to_owned(),
        errors: Errors::default(),
    })
}

pub async fn signin(
    State(state): State<AppState>,
    ctx: Ctx,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let email = errors.email(&form, "email");
    let given = form.text("password");
    if given.is_empty() {
        errors.add("password", messages::ENTER_PASSWORD);
    }
    let next = safe_next(form.text("next")).to_owned();
    let refill = |errors: Errors| SignInPage {
        layout: Layout::new(messages::TITLE_SIGN_IN, &ctx),
        email: email.clone(),
        next: next.clone(),
        errors,
    };
    if !errors.is_empty() {
        return invalid(&refill(errors));
    }

    let found = db::credentials_by_email(&state.db, &email).await?;
    let keys = throttle::SignInKeys::new(&email, &ip.key());
    let known_device = found
        .as_ref()
        .is_some_and(|c| ctx.known_device() == Some(c.id));
    // Counted before the check, so parallel guesses cannot slip past an allowance.
    let attempt = throttle::signin_attempt(&state.db, &keys, known_device).await?;
    let stored = found.as_ref().and_then(|c| c.password_hash.as_deref());
    let ok = match password::verify(&state.hashing, given, stored).await {
        Ok(ok) => ok,
        Err(err) => {
            throttle::signin_not_checked(&state.db, &keys).await?;
            return Err(err.into());
        }
    };
    let exists = found.is_some();
    let Some(person) = found.filter(|_| ok) else {
        record_failure(&state, &email, &ip, exists, attempt.slows_down).await?;
        errors.add("email", messages::SIGNIN_FAILED);
        return invalid(&refill(errors));
    };
    throttle::signin_succeeded(&state.db, &keys).await?;

    if !person.verified {
        // No new link on sign-in: only the join form or a reset mails one.
        errors.add("email", messages::EMAIL_UNVERIFIED);
        return invalid(&refill(errors));
    }
    ctx.sign_in(&state, person.id).await?;
    Ok(Redirect::to(&next).into_response())
}

/// Audits a failed sign-in on an account that exists (guesses at unknown addresses are only
/// counted), and the moment an allowance runs out.
async fn record_failure(
    state: &AppState,
    email: &str,
    ip: &ClientIp,
    account_exists: bool,
    slows_down: bool,
) -> AppResult<()> {
    if account_exists {
        audit::record(
            &state.db,
            None,
            None,
            "signin.failed",
            email,
            json!({}),
            ip.0,
        )
        .await?;
    }
    if slows_down {
        audit::record(
            &state.db,
            None,
            None,
            "signin.slowed",
            email,
            json!({}),
            ip.0,
        )
        .await?;
    }
    Ok(())
}

pub async fn signout(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.sign_out(&state).await?;
    ctx.flash("signed-out");
    Ok(Redirect::to("/signin").into_response())
}

pub async fn signout_everywhere(
    State(state): State<AppState>,
    SignedIn { ctx, person }: SignedIn,
    ip: ClientIp,
) -> AppResult<Response> {
    let ended = session_db::delete_sessions_of(&state.db, person.id).await?;
    audit::record(
        &state.db,
        None,
        Some(person.id),
        "signout.everywhere",
        "",
        json!({ "sessions": ended }),
        ip.0,
    )
    .await?;
    ctx.sign_out(&state).await?;
    ctx.flash("signed-out-everywhere");
    Ok(Redirect::to("/signin").into_response())
}

pub async fn account_page(
    state: &AppState,
    signed_in: &SignedIn,
    errors: Errors,
) -> AppResult<AccountPage> {
    Ok(AccountPage {
        layout: Layout::new(messages::TITLE_ACCOUNT, &signed_in.ctx),
        display_name: signed_in.person.display_name.clone(),
        email: signed_in.person.email.clone(),
        new_email: String::new(),
        spaces: spaces_db::spaces_of(&state.db, signed_in.person.id).await?,
        errors,
    })
}

pub async fn account(State(state): State<AppState>, signed_in: SignedIn) -> AppResult<Response> {
    page(&account_page(&state, &signed_in, Errors::default()).await?)
}

/// Whether `given` is the signed-in person's password, before a change to the account.
/// Guessing it here is throttled like sign-in, and a wrong guess is audited as `failure`.
pub async fn password_confirmed(
    state: &AppState,
    signed_in: &SignedIn,
    ip: &ClientIp,
    given: &str,
    failure: &str,
) -> AppResult<bool> {
    let person = &signed_in.person;
    let keys = throttle::SignInKeys::new(&person.email, &ip.key());
    throttle::signin_attempt(&state.db, &keys, true).await?;
    let stored = db::credentials_by_id(&state.db, person.id).await?;
    let stored = stored.as_ref().and_then(|c| c.password_hash.as_deref());
    if !password::verify(&state.hashing, given, stored).await? {
        audit::record(
            &state.db,
            None,
            Some(person.id),
            failure,
            "",
            json!({}),
            ip.0,
        )
        .await?;
        return Ok(false);
    }
    throttle::signin_succeeded(&state.db, &keys).await?;
    Ok(true)
}

pub async fn change_password(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let person = &signed_in.person;
    let mut errors = form.errors();
    let current = form.text("current_password");
    let new = form.text("new_password");
    if current.is_empty() {
        errors.add("current_password", messages::ENTER_PASSWORD);
    }
    if let Some(problem) = password::policy_problem(new, &person.email, &person.display_name) {
        errors.add("new_password", problem);
    } else if new != form.text("confirm_password") {
        errors.add("confirm_password", messages::PASSWORDS_DIFFER);
    }
    if !errors.is_empty() {
        return invalid(&account_page(&state, &signed_in, errors).await?);
    }

    if !password_confirmed(&state, &signed_in, &ip, current, "password.change_failed").await? {
        errors.add("current_password", messages::CURRENT_PASSWORD_WRONG);
        return invalid(&account_page(&state, &signed_in, errors).await?);
    }

    let hash = password::hash(&state.hashing, new).await?;
    let mut tx = state.db.begin().await?;
    service::set_new_password(
        &mut tx,
        &state.settings.base_url,
        person.id,
        &hash,
        PasswordEvent::Changed,
        ip.0,
    )
    .await?;
    tx.commit().await?;
    // Every other device is signed out; this one continues under a fresh session id.
    signed_in.ctx.sign_in(&state, person.id).await?;
    signed_in.ctx.flash("password-changed");
    Ok(Redirect::to("/account").into_response())
}
