//! The credit ledger (SPEC §4, shared/LEDGER.md): double-entry, holds, idempotent. The only
//! way to move credits is the API re-exported here; the pages are "My credits"
//! (`handlers`) and "Send credits" (`send`).

pub mod chart;
pub mod db;
pub mod handlers;
pub mod history;
pub mod model;
pub mod money;
pub mod send;
pub mod service;
pub mod statement;
pub mod verify;
pub mod views;

use axum::Router;
use axum::routing::get;

use crate::web::state::AppState;

pub use db::{balance, balances};
pub use history::statement;
pub use service::{
    MemberPayment, Payment, expire_due, hold, new_id, pay_member, post, reverse, transfer, void,
};
pub use verify::verify;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/credits", get(handlers::credits))
        .route(
            "/s/{slug}/credits/statement.csv",
            get(handlers::statement_csv),
        )
        .route(
            "/s/{slug}/credits/send",
            get(send::send_form).post(send::send_review),
        )
        .route(
            "/s/{slug}/credits/send/confirm",
            axum::routing::post(send::send),
        )
}
