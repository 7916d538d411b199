//! Spaces and memberships: the landing page, the space home, joining and invitations.

pub mod db;
pub mod handlers;
pub mod model;
pub mod service;
pub mod views;

use axum::Router;
use axum::routing::get;

use crate::web::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(handlers::landing))
        .route("/s/{slug}", get(handlers::home))
        .route(
            "/s/{slug}/join",
            get(handlers::join_form).post(handlers::join),
        )
        .route(
            "/invite/{token}",
            get(handlers::invite_page).post(handlers::accept_invite),
        )
}
