//! The disputes queue (SPEC §6.4): every disputed trade of the space with the payer's
//! statement, the payee's answer and the credits held. Each opens on the trade's page,
//! where an admin reads the thread and the timeline and resolves it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::admin::db;
use crate::ledger::money::format_amount;
use crate::messages;
use crate::web::error::AppResult;
use crate::web::extract::Admin;
use crate::web::html::{Layout, local_when, page};
use crate::web::state::AppState;

pub struct DisputeView {
    pub trade_id: i64,
    pub description: String,
    pub payer: String,
    pub payee: String,
    pub held: String,
    pub opened: String,
    pub statement: String,
    pub answer: String,
}

#[derive(Template)]
#[template(path = "admin/disputes.html")]
pub struct DisputesPage {
    pub layout: Layout,
    pub slug: String,
    pub disputes: Vec<DisputeView>,
}

pub async fn queue(State(state): State<AppState>, admin: Admin) -> AppResult<Response> {
    let currency = &admin.space.currency_name;
    let disputes = db::disputes(&state.db, admin.space.id)
        .await?
        .into_iter()
        .map(|d| DisputeView {
            trade_id: d.trade_id,
            description: d.description,
            payer: d.payer,
            payee: d.payee,
            held: format_amount(d.amount, currency),
            opened: local_when(d.opened),
            statement: d.statement,
            answer: d.answer.unwrap_or_default(),
        })
        .collect();
    page(&DisputesPage {
        layout: admin.layout(messages::TITLE_DISPUTES),
        slug: admin.space.slug.clone(),
        disputes,
    })
}
