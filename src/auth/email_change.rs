//! Changing an account's email address: asked for on the account page with the password,
//! confirmed by a link mailed to the new address, then told to the old one. Until the link
//! is followed nothing changes, and an address another account has is never revealed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::audit;
use crate::auth::handlers::{account_page, password_confirmed};
use crate::auth::views::{ConfirmEmailChangePage, EmailChangeEmail, EmailChangedEmail};
use crate::auth::{db, throttle};
use crate::messages;
use crate::notify;
use crate::web::error::AppResult;
use crate::web::extract::{ClientIp, SignedIn};
use crate::web::form::FormData;
use crate::web::html::{Layout, NoticePage, invalid, page};
use crate::web::session::{Ctx, hash_token, random_token};
use crate::web::state::AppState;

/// Asks for a new address: the password proves it is the owner asking; the link mailed to
/// the new address proves they hold it.
pub async fn request(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let person = &signed_in.person;
    let mut errors = form.errors();
    let new_email = errors.email(&form, "new_email");
    if !errors.has("new_email") && new_email.eq_ignore_ascii_case(&person.email) {
        errors.add("new_email", messages::EMAIL_UNCHANGED);
    }
    let given = form.text("email_password");
    if given.is_empty() {
        errors.add("email_password", messages::ENTER_PASSWORD);
    }
    let refill = |errors| async {
        let mut again = account_page(&state, &signed_in, errors).await?;
        again.new_email = new_email.clone();
        invalid(&again)
    };
    if !errors.is_empty() {
        return refill(errors).await;
    }
    if !password_confirmed(&state, &signed_in, &ip, given, "email.change_failed").await? {
        errors.add("email_password", messages::CURRENT_PASSWORD_WRONG);
        return refill(errors).await;
    }
    throttle::charge_mail(&state.db, "email-change", &new_email, &ip.key()).await?;

    let base = &state.settings.base_url;
    let mut tx = state.db.begin().await?;
    // Only the newest request counts.
    db::retire_tokens(
        &mut *tx,
        person.id,
        crate::auth::model::TokenPurpose::ChangeEmail,
    )
    .await?;
    let token = random_token();
    db::insert_email_change(&mut *tx, &hash_token(&token), person.id, &new_email).await?;
    let message = EmailChangeEmail {
        display_name: person.display_name.clone(),
        link: format!("{base}/account/email/{token}"),
    };
    notify::send(&mut tx, None, &new_email, &message).await?;
    audit::record(
        &mut *tx,
        None,
        Some(person.id),
        "email.change_requested",
        "",
        json!({}),
        ip.0,
    )
    .await?;
    tx.commit().await?;
    page(&NoticePage::new(
        Layout::new(messages::CHECK_YOUR_EMAIL, &signed_in.ctx),
        messages::CHECK_YOUR_EMAIL,
        messages::email_change_sent(&new_email),
        ("/account", messages::BACK_TO_ACCOUNT),
    ))
}

fn link_invalid(ctx: &Ctx) -> AppResult<Response> {
    NoticePage::new(
        Layout::new(messages::LINK_NOT_VALID_TITLE, ctx),
        messages::LINK_NOT_VALID,
        messages::EMAIL_CHANGE_LINK_NOT_VALID,
        ("/account", messages::BACK_TO_ACCOUNT),
    )
    .respond(StatusCode::NOT_FOUND)
}

/// The page a mailed link opens: one button, so that a mail scanner following links
/// changes nothing.
pub async fn confirm_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let Some((_, new_email)) = db::peek_email_change(&state.db, &hash_token(&token)).await? else {
        return link_invalid(&ctx);
    };
    let csrf = ctx.ensure_csrf();
    page(&ConfirmEmailChangePage {
        layout: Layout::new(messages::CONFIRM_NEW_EMAIL_TITLE, &ctx).with_csrf(csrf),
        new_email,
        token,
    })
}

/// Makes the new address the account's, and tells the old address it happened.
pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    ip: ClientIp,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let Some((person, new_email)) = db::use_email_change(&mut *tx, &hash_token(&token)).await?
    else {
        return link_invalid(&ctx);
    };
    let Some(before) = db::credentials_by_id(&mut *tx, person).await? else {
        return link_invalid(&ctx);
    };
    if !db::set_email(&mut tx, person, &new_email).await? {
        tx.commit().await?;
        return NoticePage::new(
            Layout::new(messages::LINK_NOT_VALID_TITLE, &ctx),
            messages::EMAIL_TAKEN_TITLE,
            messages::EMAIL_TAKEN,
            ("/account", messages::BACK_TO_ACCOUNT),
        )
        .respond(StatusCode::CONFLICT);
    }
    let notice = EmailChangedEmail {
        display_name: before.display_name,
        new_email: new_email.clone(),
        reset_link: format!("{}/reset", state.settings.base_url),
    };
    notify::send(&mut tx, None, &before.email, &notice).await?;
    audit::record(
        &mut *tx,
        None,
        Some(person),
        "email.changed",
        "",
        json!({}),
        ip.0,
    )
    .await?;
    tx.commit().await?;
    ctx.flash("email-changed");
    let next = if ctx.person().is_some_and(|p| p.id == person) {
        "/account"
    } else {
        "/signin"
    };
    Ok(Redirect::to(next).into_response())
}
