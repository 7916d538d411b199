//! Member profiles: view anyone's in your space, edit your own, check in as here today.

pub mod avatar;
pub mod db;
pub mod handlers;
pub mod model;
pub mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::web::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/members/{id}", get(handlers::view))
        .route(
            "/s/{slug}/profile",
            get(handlers::edit_form).post(handlers::save),
        )
        .route("/s/{slug}/profile/here", post(handlers::here_today))
}
