//! Accounts: sign in and out, sessions, passwords, resets, email confirmation, throttles.

pub mod db;
pub mod handlers;
pub mod links;
pub mod model;
pub mod password;
pub mod service;
pub mod throttle;
pub mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::web::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signin", get(handlers::signin_form).post(handlers::signin))
        .route("/signout", post(handlers::signout))
        .route("/account", get(handlers::account))
        .route("/account/password", post(handlers::change_password))
        .route(
            "/account/signout-everywhere",
            post(handlers::signout_everywhere),
        )
        .route("/reset", get(links::reset_form).post(links::reset_request))
        .route(
            "/reset/{token}",
            get(links::reset_password_form).post(links::reset_password),
        )
        .route(
            "/verify/{token}",
            get(links::verify_form).post(links::verify),
        )
}
