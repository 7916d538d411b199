//! Sign in and out, account settings, password reset and email confirmation.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::audit;
use crate::auth::model::{PersonId, TokenPurpose};
use crate::auth::service::{self, PasswordEvent};
use crate::auth::views::{
    AccountPage, ResetEmail, ResetPasswordPage, ResetRequestPage, SignInPage,
};
use crate::auth::{db, password, throttle};
use crate::messages;
use crate::notify;
use crate::spaces::db as spaces_db;
use crate::web::error::AppResult;
use crate::web::extract::{ClientIp, SignedIn};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Layout, NoticePage, invalid, page};
use crate::web::session::db as session_db;
use crate::web::session::{Ctx, hash_token, random_token};
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
        layout: Layout::new("Sign in", &ctx).with_csrf(csrf),
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
        layout: Layout::new("Sign in", &ctx),
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

async fn account_page(
    state: &AppState,
    signed_in: &SignedIn,
    errors: Errors,
) -> AppResult<AccountPage> {
    Ok(AccountPage {
        layout: Layout::new("Your account", &signed_in.ctx),
        display_name: signed_in.person.display_name.clone(),
        email: signed_in.person.email.clone(),
        spaces: spaces_db::spaces_of(&state.db, signed_in.person.id).await?,
        errors,
    })
}

pub async fn account(State(state): State<AppState>, signed_in: SignedIn) -> AppResult<Response> {
    page(&account_page(&state, &signed_in, Errors::default()).await?)
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

    // Guessing the current password here is throttled like sign-in.
    let keys = throttle::SignInKeys::new(&person.email, &ip.key());
    throttle::signin_attempt(&state.db, &keys, true).await?;
    let stored = db::credentials_by_id(&state.db, person.id).await?;
    let stored = stored.as_ref().and_then(|c| c.password_hash.as_deref());
    if !password::verify(&state.hashing, current, stored).await? {
        audit::record(
            &state.db,
            None,
            Some(person.id),
            "password.change_failed",
            "",
            json!({}),
            ip.0,
        )
        .await?;
        errors.add("current_password", messages::CURRENT_PASSWORD_WRONG);
        return invalid(&account_page(&state, &signed_in, errors).await?);
    }
    throttle::signin_succeeded(&state.db, &keys).await?;

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

pub async fn reset_form(ctx: Ctx) -> AppResult<Response> {
    let csrf = ctx.ensure_csrf();
    page(&ResetRequestPage {
        layout: Layout::new("Reset your password", &ctx).with_csrf(csrf),
        email: String::new(),
        errors: Errors::default(),
    })
}

pub async fn reset_request(
    State(state): State<AppState>,
    ctx: Ctx,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let email = errors.email(&form, "email");
    if !errors.is_empty() {
        return invalid(&ResetRequestPage {
            layout: Layout::new("Reset your password", &ctx),
            email,
            errors,
        });
    }
    throttle::charge(
        &state.db,
        &[
            (
                &throttle::key("reset", "account", &email),
                throttle::MAIL_ACCOUNT,
            ),
            (
                &throttle::key("reset", "addr", &ip.key()),
                throttle::MAIL_ADDRESS,
            ),
        ],
    )
    .await?;

    // The same answer, at the same speed, whether or not the address has an account: the
    // lookup and the email happen after the response.
    let background = state.clone();
    tokio::spawn(async move {
        if let Err(err) = send_reset(&background, &email).await {
            tracing::error!(error = format!("{err:#}"), "password reset email failed");
        }
    });
    page(&NoticePage::new(
        Layout::new("Check your email", &ctx),
        "Check your email",
        "If an account uses that address, we have sent it a link to reset the password. The \
         link works for one hour. If nothing arrives, check your spam folder or try again.",
        ("/signin", "Back to sign in"),
    ))
}

async fn send_reset(state: &AppState, email: &str) -> anyhow::Result<()> {
    let Some(person) = db::credentials_by_email(&state.db, email).await? else {
        return Ok(());
    };
    let token = random_token();
    let mut tx = state.db.begin().await?;
    db::insert_token(
        &mut *tx,
        &hash_token(&token),
        person.id,
        TokenPurpose::PasswordReset,
    )
    .await?;
    let message = ResetEmail {
        display_name: person.display_name,
        link: format!("{}/reset/{token}", state.settings.base_url),
    };
    notify::send(&mut tx, None, &person.email, &message).await?;
    tx.commit().await?;
    Ok(())
}

fn link_invalid(ctx: &Ctx) -> AppResult<Response> {
    NoticePage::new(
        Layout::new("Link not valid", ctx),
        "This link is not valid any more",
        "It may have been used already, or it may have expired. You can ask for a new one.",
        ("/reset", "Ask for a new password reset link"),
    )
    .respond(StatusCode::NOT_FOUND)
}

fn reset_page(ctx: &Ctx, token: &str, errors: Errors) -> ResetPasswordPage {
    ResetPasswordPage {
        layout: Layout::new("Choose a new password", ctx),
        heading: "Choose a new password",
        intro: "",
        button: "Save my new password",
        action: format!("/reset/{token}"),
        errors,
    }
}

pub async fn reset_password_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if db::peek_token(&state.db, &hash_token(&token), TokenPurpose::PasswordReset)
        .await?
        .is_none()
    {
        return link_invalid(&ctx);
    }
    ctx.ensure_csrf();
    page(&reset_page(&ctx, &token, Errors::default()))
}

pub async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    ip: ClientIp,
    Path(token): Path<String>,
    form: FormData,
) -> AppResult<Response> {
    let purpose = TokenPurpose::PasswordReset;
    let Some(hash) = new_password_from_link(&state, &token, purpose, &form).await? else {
        return link_invalid(&ctx);
    };
    let hash = match hash {
        Ok(hash) => hash,
        Err(errors) => return invalid(&reset_page(&ctx, &token, errors)),
    };
    if use_link(&state, &token, purpose, &hash, PasswordEvent::Reset, &ip)
        .await?
        .is_none()
    {
        return link_invalid(&ctx);
    }
    ctx.sign_out(&state).await?;
    ctx.flash("password-reset");
    Ok(Redirect::to("/signin").into_response())
}

/// Reads the new password of a form that a mailed link opened. None: the link is not
/// valid. Some(Err): the password needs another look. Some(Ok): its hash.
async fn new_password_from_link(
    state: &AppState,
    token: &str,
    purpose: TokenPurpose,
    form: &FormData,
) -> AppResult<Option<Result<String, Errors>>> {
    let Some(person) = db::peek_token(&state.db, &hash_token(token), purpose).await? else {
        return Ok(None);
    };
    let Some(creds) = db::credentials_by_id(&state.db, person).await? else {
        return Ok(None);
    };
    let mut errors = form.errors();
    let new = form.text("new_password");
    if let Some(problem) = password::policy_problem(new, &creds.email, &creds.display_name) {
        errors.add("new_password", problem);
    } else if new != form.text("confirm_password") {
        errors.add("confirm_password", messages::PASSWORDS_DIFFER);
    }
    if !errors.is_empty() {
        return Ok(Some(Err(errors)));
    }
    Ok(Some(Ok(password::hash(&state.hashing, new).await?)))
}

/// Uses a mailed link to set a password, in one transaction. Using the token is the guard:
/// a second submission finds it used and changes nothing. Returns the person, or None.
async fn use_link(
    state: &AppState,
    token: &str,
    purpose: TokenPurpose,
    hash: &str,
    event: PasswordEvent,
    ip: &ClientIp,
) -> AppResult<Option<PersonId>> {
    let mut tx = state.db.begin().await?;
    let Some(person) = db::use_token(&mut *tx, &hash_token(token), purpose).await? else {
        return Ok(None);
    };
    service::set_new_password(&mut tx, &state.settings.base_url, person, hash, event, ip.0).await?;
    tx.commit().await?;
    Ok(Some(person))
}

fn confirm_page(ctx: &Ctx, token: &str, errors: Errors) -> ResetPasswordPage {
    ResetPasswordPage {
        layout: Layout::new("Confirm your email address", ctx),
        heading: "Confirm your address and choose a password",
        intro: "This link proves that the address is yours. Choose the password you will \
                sign in with, and you are in.",
        button: "Confirm and sign in",
        action: format!("/verify/{token}"),
        errors,
    }
}

pub async fn verify_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if db::peek_token(&state.db, &hash_token(&token), TokenPurpose::VerifyEmail)
        .await?
        .is_none()
    {
        return verify_invalid(&ctx);
    }
    // A form, not the link itself, does the work: mail scanners follow links.
    ctx.ensure_csrf();
    page(&confirm_page(&ctx, &token, Errors::default()))
}

fn verify_invalid(ctx: &Ctx) -> AppResult<Response> {
    NoticePage::new(
        Layout::new("Link not valid", ctx),
        "This link is not valid any more",
        "It may have been used already, it may have expired, or a newer link may have been \
         sent. If you have not chosen a password yet, ask for a password reset: that link \
         confirms your address too.",
        ("/reset", "Ask for a new link"),
    )
    .respond(StatusCode::NOT_FOUND)
}

/// The owner of the address confirms it by choosing a password; only then is anyone signed
/// in. Whoever registered the address never knew this password.
pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    ip: ClientIp,
    Path(token): Path<String>,
    form: FormData,
) -> AppResult<Response> {
    let purpose = TokenPurpose::VerifyEmail;
    let Some(hash) = new_password_from_link(&state, &token, purpose, &form).await? else {
        return verify_invalid(&ctx);
    };
    let hash = match hash {
        Ok(hash) => hash,
        Err(errors) => return invalid(&confirm_page(&ctx, &token, errors)),
    };
    let Some(person) = use_link(&state, &token, purpose, &hash, PasswordEvent::Chosen, &ip).await?
    else {
        return verify_invalid(&ctx);
    };
    ctx.sign_in(&state, person).await?;
    ctx.flash("email-verified");
    Ok(Redirect::to("/").into_response())
}
