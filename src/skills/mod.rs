//! Skills and the directory (SPEC §2): members list what they can do; everyone finds who
//! can help with full-text search that forgives typos.

pub mod db;
pub mod directory;
pub mod handlers;
pub mod model;
pub mod service;
pub mod views;

use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/s/{slug}/directory", Access::Member, directory::directory),
        Route::get(
            "/s/{slug}/profile/skills",
            Access::Applicant,
            handlers::list,
        ),
        Route::post("/s/{slug}/profile/skills", Access::Applicant, handlers::add),
        Route::get(
            "/s/{slug}/profile/skills/{id}",
            Access::Owner,
            handlers::edit_form,
        ),
        Route::post(
            "/s/{slug}/profile/skills/{id}",
            Access::Owner,
            handlers::save,
        ),
        Route::get(
            "/s/{slug}/profile/skills/{id}/remove",
            Access::Owner,
            handlers::remove_form,
        ),
        Route::post(
            "/s/{slug}/profile/skills/{id}/remove",
            Access::Owner,
            handlers::remove,
        ),
    ]
}
