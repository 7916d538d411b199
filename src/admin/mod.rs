//! Running a space: applications, invitations and settings (the admin issue extends this).

pub mod handlers;
pub mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::web::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/admin", get(handlers::index))
        .route("/s/{slug}/admin/applications", get(handlers::applications))
        .route(
            "/s/{slug}/admin/applications/{id}/approve",
            post(handlers::approve),
        )
        .route(
            "/s/{slug}/admin/applications/{id}/decline",
            get(handlers::decline_form).post(handlers::decline),
        )
        .route(
            "/s/{slug}/admin/invitations",
            get(handlers::invitations).post(handlers::create_invitation),
        )
        .route(
            "/s/{slug}/admin/invitations/{id}/revoke",
            post(handlers::revoke_invitation),
        )
        .route(
            "/s/{slug}/admin/settings",
            get(handlers::settings_form).post(handlers::save_settings),
        )
}
