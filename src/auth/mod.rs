//! Accounts: sign in and out, sessions, passwords, resets, email confirmation, throttles.

pub mod db;
pub mod delete;
pub mod email_change;
pub mod erase;
pub mod handlers;
pub mod links;
pub mod model;
pub mod password;
pub mod service;
pub mod throttle;
pub mod views;

use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/signin", Access::Public, handlers::signin_form),
        Route::post("/signin", Access::Public, handlers::signin),
        Route::post("/signout", Access::Public, handlers::signout),
        Route::get("/account", Access::SignedIn, handlers::account),
        Route::get("/account/delete", Access::SignedIn, delete::form),
        Route::post("/account/delete", Access::SignedIn, delete::delete),
        Route::post(
            "/account/password",
            Access::SignedIn,
            handlers::change_password,
        ),
        Route::post("/account/email", Access::SignedIn, email_change::request),
        Route::get(
            "/account/email/{token}",
            Access::Public,
            email_change::confirm_form,
        ),
        Route::post(
            "/account/email/{token}",
            Access::Public,
            email_change::confirm,
        ),
        Route::post(
            "/account/signout-everywhere",
            Access::SignedIn,
            handlers::signout_everywhere,
        ),
        Route::get("/reset", Access::Public, links::reset_form),
        Route::post("/reset", Access::Public, links::reset_request),
        Route::get("/reset/{token}", Access::Public, links::reset_password_form),
        Route::post("/reset/{token}", Access::Public, links::reset_password),
        Route::get("/verify/{token}", Access::Public, links::verify_form),
        Route::post("/verify/{token}", Access::Public, links::verify),
    ]
}
