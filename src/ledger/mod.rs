//! The credit ledger (SPEC §4, shared/LEDGER.md): double-entry, holds, idempotent. The only
//! way to move credits is the API re-exported here; the pages are "My credits"
//! (`handlers`) and "Send credits" (`send`).

pub mod batch;
pub mod chart;
pub mod db;
pub mod handlers;
pub mod history;
pub mod model;
pub mod money;
pub mod recipients;
pub mod send;
pub mod service;
pub mod statement;
pub mod verify;
pub mod views;

use crate::web::routes::{Access, Route};

pub use db::{balance, balances};
pub use history::statement;
pub use service::{
    MemberPayment, Payment, expire_due, hold, hold_until_settled, new_id, pay_member, post,
    reverse, transfer, void,
};
pub use verify::verify;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/s/{slug}/credits", Access::Member, handlers::credits),
        Route::get(
            "/s/{slug}/credits/statement.csv",
            Access::Member,
            handlers::statement_csv,
        ),
        Route::get("/s/{slug}/credits/send", Access::Member, send::send_form),
        Route::post("/s/{slug}/credits/send", Access::Member, send::send_review),
        Route::post("/s/{slug}/credits/send/confirm", Access::Member, send::send),
    ]
}
