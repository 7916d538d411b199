//! Member profiles: view anyone's in your space, edit your own, check in as here today.

pub mod avatar;
pub mod db;
pub mod handlers;
pub mod leaving;
pub mod model;
pub mod views;

use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/s/{slug}/members/{id}", Access::Member, handlers::view),
        Route::get("/s/{slug}/leave", Access::Member, leaving::form),
        Route::post("/s/{slug}/leave", Access::Member, leaving::ask),
        Route::post("/s/{slug}/leave/stay", Access::Member, leaving::stay),
        Route::get("/s/{slug}/profile", Access::Applicant, handlers::edit_form),
        Route::post("/s/{slug}/profile", Access::Applicant, handlers::save),
        Route::post(
            "/s/{slug}/profile/here",
            Access::Member,
            handlers::here_today,
        ),
    ]
}
