//! What a mailed link opens: a password reset, and the confirmation of a new address
//! where its owner chooses the first password. Using a link sets the password through
//! `service::set_new_password`, which retires every other link.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::model::{PersonId, TokenPurpose};
use crate::auth::service::{self, PasswordEvent};
use crate::auth::views::{ResetEmail, ResetPasswordPage, ResetRequestPage};
use crate::auth::{db, password, throttle};
use crate::messages;
use crate::notify;
use crate::web::error::AppResult;
use crate::web::extract::ClientIp;
use crate::web::form::{Errors, FormData};
use crate::web::html::{Layout, NoticePage, invalid, page};
use crate::web::session::{Ctx, hash_token, random_token};
use crate::web::state::AppState;

pub async fn reset_form(ctx: Ctx) -> AppResult<Response> {
    let csrf = ctx.ensure_csrf();
    page(&ResetRequestPage {
        layout: Layout::new(messages::TITLE_RESET, &ctx).with_csrf(csrf),
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
            layout: Layout::new(messages::TITLE_RESET, &ctx),
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
        Layout::new(messages::CHECK_YOUR_EMAIL, &ctx),
        messages::CHECK_YOUR_EMAIL,
        messages::RESET_LINK_SENT,
        ("/signin", messages::BACK_TO_SIGN_IN),
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
        Layout::new(messages::LINK_NOT_VALID_TITLE, ctx),
        messages::LINK_NOT_VALID,
        messages::RESET_LINK_NOT_VALID,
        ("/reset", messages::ASK_FOR_RESET_LINK),
    )
    .respond(StatusCode::NOT_FOUND)
}

fn reset_page(ctx: &Ctx, token: &str, errors: Errors) -> ResetPasswordPage {
    ResetPasswordPage {
        layout: Layout::new(messages::CHOOSE_NEW_PASSWORD, ctx),
        heading: messages::CHOOSE_NEW_PASSWORD,
        intro: "",
        button: messages::SAVE_NEW_PASSWORD,
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
        layout: Layout::new(messages::CONFIRM_EMAIL_TITLE, ctx),
        heading: messages::CONFIRM_EMAIL_HEADING,
        intro: messages::CONFIRM_EMAIL_INTRO,
        button: messages::CONFIRM_AND_SIGN_IN,
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
        Layout::new(messages::LINK_NOT_VALID_TITLE, ctx),
        messages::LINK_NOT_VALID,
        messages::CONFIRM_LINK_NOT_VALID,
        ("/reset", messages::ASK_FOR_NEW_LINK),
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
