//! Trades (SPEC §3.2–3.5): two members agree terms, the payer's credits are held through
//! the ledger, and paid, returned or settled by an admin; with a timeline, a private
//! thread and kudos.

pub mod db;
pub mod handlers;
pub mod model;
pub mod propose;
pub mod rules;
pub mod service;
pub mod views;

use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/s/{slug}/trades", Access::Member, propose::list),
        Route::post("/s/{slug}/trades", Access::Member, propose::create),
        Route::get("/s/{slug}/trades/new", Access::Member, propose::new_form),
        Route::get("/s/{slug}/trades/{id}", Access::Owner, handlers::view),
        Route::post("/s/{slug}/trades/{id}/act", Access::Owner, handlers::act),
        Route::post(
            "/s/{slug}/trades/{id}/messages",
            Access::Owner,
            handlers::message,
        ),
        Route::post(
            "/s/{slug}/trades/{id}/kudos",
            Access::Owner,
            handlers::kudos,
        ),
    ]
}
