//! Deleting an account (SPEC §6.1): asked with the password, once the person has left every
//! space. Their personal data is erased (`erase`) and they are signed out everywhere.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::audit;
use crate::auth::erase;
use crate::auth::handlers::password_confirmed;
use crate::auth::views::DeleteAccountPage;
use crate::messages;
use crate::web::error::AppResult;
use crate::web::extract::{ClientIp, SignedIn};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Layout, invalid, page};
use crate::web::state::AppState;

async fn delete_page(
    state: &AppState,
    signed_in: &SignedIn,
    errors: Errors,
) -> AppResult<DeleteAccountPage> {
    let to_leave = erase::spaces_to_leave(&state.db, signed_in.person.id).await?;
    Ok(DeleteAccountPage {
        layout: Layout::new(messages::TITLE_DELETE_ACCOUNT, &signed_in.ctx),
        to_leave,
        errors,
    })
}

pub async fn form(State(state): State<AppState>, signed_in: SignedIn) -> AppResult<Response> {
    page(&delete_page(&state, &signed_in, Errors::default()).await?)
}

pub async fn delete(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = form.errors();
    let given = form.text("password");
    if given.is_empty() {
        errors.add("password", messages::ENTER_PASSWORD);
    } else if !password_confirmed(&state, &signed_in, &ip, given, "account.delete_failed").await? {
        errors.add("password", messages::CURRENT_PASSWORD_WRONG);
    }
    if errors.is_empty() {
        let person = signed_in.person.id;
        let mut tx = state.db.begin().await?;
        if erase::erase(&mut tx, person).await? {
            audit::record(
                &mut *tx,
                None,
                Some(person),
                "account.deleted",
                "",
                json!({}),
                ip.0,
            )
            .await?;
            tx.commit().await?;
            signed_in.ctx.sign_out(&state).await?;
            signed_in.ctx.flash("account-deleted");
            return Ok(Redirect::to("/").into_response());
        }
        errors.add("password", messages::LEAVE_SPACES_FIRST);
    }
    invalid(&delete_page(&state, &signed_in, errors).await?)
}
