//! Reports and moderation (SPEC §6.3): members report a listing, a kudos note, a message or
//! a member; admins hide or restore listings and kudos notes with a reason the author sees,
//! and close each report with what was done.

pub mod admin;
pub mod db;
pub mod handlers;
pub mod model;
pub mod service;
pub mod views;

use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    use Access::{Admin, Member};
    vec![
        Route::get(
            "/s/{slug}/report/{subject}/{id}",
            Member,
            handlers::report_form,
        ),
        Route::post("/s/{slug}/report/{subject}/{id}", Member, handlers::report),
        Route::get("/s/{slug}/admin/reports", Admin, admin::queue),
        Route::get("/s/{slug}/admin/reports/{subject}/{id}", Admin, admin::item),
        Route::post(
            "/s/{slug}/admin/reports/{subject}/{id}/hide",
            Admin,
            admin::hide,
        ),
        Route::post(
            "/s/{slug}/admin/reports/{subject}/{id}/restore",
            Admin,
            admin::restore,
        ),
        Route::post(
            "/s/{slug}/admin/reports/{subject}/{id}/dismiss",
            Admin,
            admin::dismiss,
        ),
    ]
}
