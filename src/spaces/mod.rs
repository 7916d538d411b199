//! Spaces and memberships: the landing page, the space home, joining, invitations and the
//! space's address (`slugs`).

pub mod dashboard;
pub mod db;
pub mod handlers;
pub mod invitations;
pub mod model;
pub mod service;
pub mod slugs;
pub mod views;

use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/", Access::Public, handlers::landing),
        Route::get("/s/{slug}", Access::Applicant, dashboard::home),
        Route::get("/s/{slug}/join", Access::Public, handlers::join_form),
        Route::post("/s/{slug}/join", Access::Public, handlers::join),
        Route::get("/invite/{token}", Access::Public, handlers::invite_page),
        Route::post("/invite/{token}", Access::Public, handlers::accept_invite),
    ]
}
