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
    throttle::charge_mail(&state.db, "reset", &email, &ip.key()).await?;

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
        PasswordLink::Reset.purpose(),
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

/// The words of a page that a mailed link opens, by what the link is for.
struct LinkWords {
    title: &'static str,
    heading: &'static str,
    intro: &'static str,
    button: &'static str,
    path: &'static str,
    invalid: &'static str,
    ask_again: &'static str,
}

/// The two kinds of mailed link that end in choosing a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PasswordLink {
    Reset,
    /// Confirms the address of a new account.
    Confirm,
}

impl PasswordLink {
    fn purpose(self) -> TokenPurpose {
        match self {
            PasswordLink::Reset => TokenPurpose::PasswordReset,
            PasswordLink::Confirm => TokenPurpose::VerifyEmail,
        }
    }
}

fn words(purpose: PasswordLink) -> LinkWords {
    match purpose {
        PasswordLink::Reset => LinkWords {
            title: messages::CHOOSE_NEW_PASSWORD,
            heading: messages::CHOOSE_NEW_PASSWORD,
            intro: "",
            button: messages::SAVE_NEW_PASSWORD,
            path: "/reset",
            invalid: messages::RESET_LINK_NOT_VALID,
            ask_again: messages::ASK_FOR_RESET_LINK,
        },
        PasswordLink::Confirm => LinkWords {
            title: messages::CONFIRM_EMAIL_TITLE,
            heading: messages::CONFIRM_EMAIL_HEADING,
            intro: messages::CONFIRM_EMAIL_INTRO,
            button: messages::CONFIRM_AND_SIGN_IN,
            path: "/verify",
            invalid: messages::CONFIRM_LINK_NOT_VALID,
            ask_again: messages::ASK_FOR_NEW_LINK,
        },
    }
}

fn link_invalid(ctx: &Ctx, purpose: PasswordLink) -> AppResult<Response> {
    NoticePage::new(
        Layout::new(messages::LINK_NOT_VALID_TITLE, ctx),
        messages::LINK_NOT_VALID,
        words(purpose).invalid,
        ("/reset", words(purpose).ask_again),
    )
    .respond(StatusCode::NOT_FOUND)
}

fn password_page(
    ctx: &Ctx,
    purpose: PasswordLink,
    token: &str,
    errors: Errors,
) -> ResetPasswordPage {
    let w = words(purpose);
    ResetPasswordPage {
        layout: Layout::new(w.title, ctx),
        heading: w.heading,
        intro: w.intro,
        button: w.button,
        action: format!("{}/{token}", w.path),
        errors,
    }
}

/// The page a valid link opens: a form, not the link itself, does the work, since mail
/// scanners follow links.
async fn link_form(
    state: &AppState,
    ctx: &Ctx,
    purpose: PasswordLink,
    token: &str,
) -> AppResult<Response> {
    if db::peek_token(&state.db, &hash_token(token), purpose.purpose())
        .await?
        .is_none()
    {
        return link_invalid(ctx, purpose);
    }
    ctx.ensure_csrf();
    page(&password_page(ctx, purpose, token, Errors::default()))
}

/// Sets the password a link's form chose, in one transaction. Using the token is the guard:
/// a second submission finds it used and changes nothing. Ok(person) once done; Err(page)
/// when the link is not valid or the password needs another look.
async fn use_link(
    state: &AppState,
    ctx: &Ctx,
    ip: &ClientIp,
    purpose: PasswordLink,
    token: &str,
    form: &FormData,
) -> AppResult<Result<PersonId, Response>> {
    let Some(person) = db::peek_token(&state.db, &hash_token(token), purpose.purpose()).await?
    else {
        return Ok(Err(link_invalid(ctx, purpose)?));
    };
    let Some(creds) = db::credentials_by_id(&state.db, person).await? else {
        return Ok(Err(link_invalid(ctx, purpose)?));
    };
    let mut errors = form.errors();
    let new = form.text("new_password");
    if let Some(problem) = password::policy_problem(new, &creds.email, &creds.display_name) {
        errors.add("new_password", problem);
    } else if new != form.text("confirm_password") {
        errors.add("confirm_password", messages::PASSWORDS_DIFFER);
    }
    if !errors.is_empty() {
        return Ok(Err(invalid(&password_page(ctx, purpose, token, errors))?));
    }
    let hash = password::hash(&state.hashing, new).await?;
    let event = match purpose {
        PasswordLink::Reset => PasswordEvent::Reset,
        PasswordLink::Confirm => PasswordEvent::Chosen,
    };
    let mut tx = state.db.begin().await?;
    let Some(person) = db::use_token(&mut *tx, &hash_token(token), purpose.purpose()).await? else {
        return Ok(Err(link_invalid(ctx, purpose)?));
    };
    let base = &state.settings.base_url;
    service::set_new_password(&mut tx, base, person, &hash, event, ip.0).await?;
    tx.commit().await?;
    Ok(Ok(person))
}

pub async fn reset_password_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    link_form(&state, &ctx, PasswordLink::Reset, &token).await
}

/// A new password from a reset link: every device is signed out, this one too.
pub async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    ip: ClientIp,
    Path(token): Path<String>,
    form: FormData,
) -> AppResult<Response> {
    let purpose = PasswordLink::Reset;
    if let Err(page) = use_link(&state, &ctx, &ip, purpose, &token, &form).await? {
        return Ok(page);
    }
    ctx.sign_out(&state).await?;
    ctx.flash("password-reset");
    Ok(Redirect::to("/signin").into_response())
}

pub async fn verify_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    link_form(&state, &ctx, PasswordLink::Confirm, &token).await
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
    let purpose = PasswordLink::Confirm;
    let person = match use_link(&state, &ctx, &ip, purpose, &token, &form).await? {
        Ok(person) => person,
        Err(page) => return Ok(page),
    };
    ctx.sign_in(&state, person).await?;
    ctx.flash("email-verified");
    Ok(Redirect::to("/").into_response())
}
