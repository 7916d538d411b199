//! Skills and the directory (SPEC §2): members list what they can do; everyone finds who
//! can help with full-text search that forgives typos.

pub mod db;
pub mod directory;
pub mod handlers;
pub mod model;
pub mod service;
pub mod views;

use axum::Router;
use axum::routing::get;

use crate::web::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/directory", get(directory::directory))
        .route(
            "/s/{slug}/profile/skills",
            get(handlers::list).post(handlers::add),
        )
        .route(
            "/s/{slug}/profile/skills/{id}",
            get(handlers::edit_form).post(handlers::save),
        )
        .route(
            "/s/{slug}/profile/skills/{id}/remove",
            get(handlers::remove_form).post(handlers::remove),
        )
}
