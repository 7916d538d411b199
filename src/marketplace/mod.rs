//! The marketplace (SPEC §3.1): offers and requests with prices, their own pages, and a
//! search that forgives typos, as the directory's does.

pub mod db;
pub mod form;
pub mod handlers;
pub mod jobs;
pub mod model;
pub mod search;
pub mod views;

use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/s/{slug}/market", Access::Member, search::marketplace),
        Route::post("/s/{slug}/market", Access::Member, handlers::create),
        Route::get("/s/{slug}/market/new", Access::Member, handlers::new_form),
        Route::get("/s/{slug}/market/mine", Access::Member, handlers::mine),
        Route::get("/s/{slug}/market/{id}", Access::Member, handlers::view),
        Route::get(
            "/s/{slug}/market/{id}/edit",
            Access::Owner,
            handlers::edit_form,
        ),
        Route::post("/s/{slug}/market/{id}/edit", Access::Owner, handlers::save),
        Route::post(
            "/s/{slug}/market/{id}/status",
            Access::Owner,
            handlers::set_status,
        ),
    ]
}
