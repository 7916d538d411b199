//! Rooms (SPEC §5, §6.2): admins define rooms with opening hours and a price per hour;
//! members see a day and a week of free and booked slots, book and pay through the ledger,
//! and cancel (refunded before the space's cutoff). The database makes double booking
//! impossible: an exclusion constraint over each room's booked time ranges.

pub mod admin;
pub mod book;
pub mod bookings;
pub mod db;
pub mod form;
pub mod grid;
pub mod handlers;
pub mod ics;
pub mod model;
pub mod service;
pub mod setup;
pub mod views;

use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    [member_routes(), admin_routes()]
        .into_iter()
        .flatten()
        .collect()
}

/// Seeing rooms, booking them, and a member's own bookings.
fn member_routes() -> Vec<Route> {
    use Access::{Member, Owner};
    vec![
        Route::get("/s/{slug}/rooms", Member, handlers::index),
        Route::get("/s/{slug}/rooms/book", Member, book::book_form),
        Route::post("/s/{slug}/rooms/book", Member, book::review),
        Route::post("/s/{slug}/rooms/book/confirm", Member, book::confirm),
        Route::get("/s/{slug}/rooms/bookings", Member, bookings::mine),
        Route::get(
            "/s/{slug}/rooms/bookings/{id}/cancel",
            Owner,
            bookings::cancel_form,
        ),
        Route::post(
            "/s/{slug}/rooms/bookings/{id}/cancel",
            Owner,
            bookings::cancel,
        ),
        Route::get(
            "/s/{slug}/rooms/bookings/{id}/calendar.ics",
            Owner,
            bookings::calendar,
        ),
        Route::get("/s/{slug}/rooms/{id}", Member, handlers::day),
        Route::get("/s/{slug}/rooms/{id}/week", Member, handlers::week),
    ]
}

/// The admin's rooms, and cancelling any booking with a refund.
fn admin_routes() -> Vec<Route> {
    use Access::Admin;
    vec![
        Route::get("/s/{slug}/admin/rooms", Admin, admin::list),
        Route::post("/s/{slug}/admin/rooms", Admin, admin::create),
        Route::get("/s/{slug}/admin/rooms/new", Admin, admin::new_form),
        Route::get("/s/{slug}/admin/rooms/{id}", Admin, admin::edit_form),
        Route::post("/s/{slug}/admin/rooms/{id}", Admin, admin::update),
        Route::get(
            "/s/{slug}/admin/rooms/{id}/retire",
            Admin,
            admin::retire_form,
        ),
        Route::post("/s/{slug}/admin/rooms/{id}/retire", Admin, admin::retire),
        Route::post("/s/{slug}/admin/rooms/{id}/restore", Admin, admin::restore),
        Route::get(
            "/s/{slug}/admin/rooms/bookings/{id}/cancel",
            Admin,
            bookings::admin_cancel_form,
        ),
        Route::post(
            "/s/{slug}/admin/rooms/bookings/{id}/cancel",
            Admin,
            bookings::admin_cancel,
        ),
    ]
}
