//! Leaving a space, as a member asks it: what still holds them, and the request the admins
//! confirm (`service::confirm`, from the member's admin page).

pub mod db;
pub mod service;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::ledger::money::format_amount;
use crate::members::leaving::service::Asked;
use crate::messages;
use crate::web::error::AppResult;
use crate::web::extract::{ClientIp, Member};
use crate::web::html::{Layout, invalid, page};
use crate::web::state::AppState;

#[derive(Template)]
#[template(path = "members/leave.html")]
pub struct LeavePage {
    pub layout: Layout,
    pub slug: String,
    pub space_name: String,
    pub balance: String,
    pub positive: bool,
    pub negative: bool,
    pub blockers: Vec<String>,
    pub asked: bool,
}

async fn leave_page(state: &AppState, member: &Member) -> AppResult<LeavePage> {
    let standing = db::standing(&state.db, member.space.id, member.membership.id).await?;
    Ok(LeavePage {
        layout: member.layout(messages::TITLE_LEAVE),
        slug: member.space.slug.clone(),
        space_name: member.space.name.clone(),
        balance: format_amount(standing.balance, &member.space.currency_name),
        positive: standing.balance > 0,
        negative: standing.balance < 0,
        blockers: messages::still_holds(
            standing.open_trades,
            standing.upcoming_bookings,
            standing.held > 0,
        ),
        asked: standing.leave_requested,
    })
}

pub async fn form(State(state): State<AppState>, member: Member) -> AppResult<Response> {
    page(&leave_page(&state, &member).await?)
}

pub async fn ask(
    State(state): State<AppState>,
    member: Member,
    ip: ClientIp,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let asked = service::ask(&mut tx, member.actor(&ip), member.membership.id).await?;
    tx.commit().await?;
    if let Asked::Holds(_) = asked {
        return invalid(&leave_page(&state, &member).await?);
    }
    member.ctx.flash("leave-asked");
    Ok(Redirect::to(&format!("/s/{}/leave", member.space.slug)).into_response())
}

pub async fn stay(
    State(state): State<AppState>,
    member: Member,
    ip: ClientIp,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    service::stay(&mut tx, member.actor(&ip), member.membership.id).await?;
    tx.commit().await?;
    member.ctx.flash("leave-withdrawn");
    Ok(Redirect::to(&format!("/s/{}/leave", member.space.slug)).into_response())
}
