//! Running a space: applications, invitations and settings (the admin issue extends this).

pub mod categories;
pub mod db;
pub mod grants;
pub mod handlers;
pub mod ledger;
pub mod limits;
pub mod overview;
pub mod service;
pub mod views;

use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    [space_routes(), category_routes(), ledger_routes()]
        .into_iter()
        .flatten()
        .collect()
}

/// Running the space itself: who joins (applications, invitations) and its settings.
fn space_routes() -> Vec<Route> {
    use Access::Admin;
    vec![
        Route::get("/s/{slug}/admin", Admin, handlers::index),
        Route::get("/s/{slug}/admin/overview", Admin, overview::overview),
        Route::get(
            "/s/{slug}/admin/applications",
            Admin,
            handlers::applications,
        ),
        Route::post(
            "/s/{slug}/admin/applications/{id}/approve",
            Admin,
            handlers::approve,
        ),
        Route::get(
            "/s/{slug}/admin/applications/{id}/decline",
            Admin,
            handlers::decline_form,
        ),
        Route::post(
            "/s/{slug}/admin/applications/{id}/decline",
            Admin,
            handlers::decline,
        ),
        Route::get("/s/{slug}/admin/invitations", Admin, handlers::invitations),
        Route::post(
            "/s/{slug}/admin/invitations",
            Admin,
            handlers::create_invitation,
        ),
        Route::post(
            "/s/{slug}/admin/invitations/{id}/revoke",
            Admin,
            handlers::revoke_invitation,
        ),
        Route::get("/s/{slug}/admin/settings", Admin, handlers::settings_form),
        Route::post("/s/{slug}/admin/settings", Admin, handlers::save_settings),
    ]
}

/// The skill categories members choose from (`categories`).
fn category_routes() -> Vec<Route> {
    use Access::Admin;
    vec![
        Route::get("/s/{slug}/admin/categories", Admin, categories::list),
        Route::post("/s/{slug}/admin/categories", Admin, categories::create),
        Route::post(
            "/s/{slug}/admin/categories/{id}/rename",
            Admin,
            categories::rename,
        ),
        Route::get(
            "/s/{slug}/admin/categories/{id}/retire",
            Admin,
            categories::retire_form,
        ),
        Route::post(
            "/s/{slug}/admin/categories/{id}/retire",
            Admin,
            categories::retire,
        ),
        Route::post(
            "/s/{slug}/admin/categories/{id}/restore",
            Admin,
            categories::restore,
        ),
    ]
}

/// The ledger's admin pages: transfers, reversals and verify (`ledger`), grants (`grants`)
/// and credit limits (`limits`).
fn ledger_routes() -> Vec<Route> {
    use Access::Admin;
    vec![
        Route::get("/s/{slug}/admin/ledger", Admin, ledger::transfers),
        Route::get("/s/{slug}/admin/ledger/grant", Admin, grants::grant_form),
        Route::post("/s/{slug}/admin/ledger/grant", Admin, grants::grant_review),
        Route::post("/s/{slug}/admin/ledger/grant/confirm", Admin, grants::grant),
        Route::get("/s/{slug}/admin/ledger/limits", Admin, limits::limits),
        Route::post(
            "/s/{slug}/admin/ledger/limits/{id}",
            Admin,
            limits::set_limit,
        ),
        Route::post(
            "/s/{slug}/admin/ledger/default-limit",
            Admin,
            limits::set_default_limit,
        ),
        Route::get(
            "/s/{slug}/admin/ledger/transfers/{transfer}/reverse",
            Admin,
            ledger::reverse_form,
        ),
        Route::post(
            "/s/{slug}/admin/ledger/transfers/{transfer}/reverse",
            Admin,
            ledger::reverse,
        ),
        Route::get("/s/{slug}/admin/ledger/verify", Admin, ledger::verify_form),
        Route::post("/s/{slug}/admin/ledger/verify", Admin, ledger::verify),
    ]
}
