//! Running a space: applications, invitations and settings (the admin issue extends this).

pub mod categories;
pub mod handlers;
pub mod ledger;
pub mod limits;
pub mod service;
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
        .route(
            "/s/{slug}/admin/categories",
            get(categories::list).post(categories::create),
        )
        .route(
            "/s/{slug}/admin/categories/{id}/rename",
            post(categories::rename),
        )
        .route(
            "/s/{slug}/admin/categories/{id}/retire",
            post(categories::retire),
        )
        .route(
            "/s/{slug}/admin/categories/{id}/restore",
            post(categories::restore),
        )
        .route("/s/{slug}/admin/ledger", get(ledger::transfers))
        .route(
            "/s/{slug}/admin/ledger/grant",
            get(limits::grant_form).post(limits::grant),
        )
        .route("/s/{slug}/admin/ledger/limits", get(limits::limits))
        .route(
            "/s/{slug}/admin/ledger/limits/{id}",
            post(limits::set_limit),
        )
        .route(
            "/s/{slug}/admin/ledger/default-limit",
            post(limits::set_default_limit),
        )
        .route(
            "/s/{slug}/admin/ledger/transfers/{transfer}/reverse",
            get(ledger::reverse_form).post(ledger::reverse),
        )
        .route(
            "/s/{slug}/admin/ledger/verify",
            get(ledger::verify_form).post(ledger::verify),
        )
}
