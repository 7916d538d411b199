//! Running a space: applications, invitations (one link, or many from a CSV file) and
//! settings (`settings`), categories, the ledger, and the outbox of the space's emails.

pub mod audit;
pub mod categories;
pub mod db;
pub mod disputes;
pub mod grants;
pub mod handlers;
pub mod import;
pub mod ledger;
pub mod limits;
pub mod members;
pub mod outbox;
pub mod overview;
pub mod service;
pub mod settings;
pub mod views;

use crate::web::routes::{Access, Route};

pub fn routes() -> Vec<Route> {
    [
        space_routes(),
        category_routes(),
        ledger_routes(),
        outbox_routes(),
        member_routes(),
        import_routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The space's members, each with their own admin page (`members`).
fn member_routes() -> Vec<Route> {
    use Access::Admin;
    vec![
        Route::get("/s/{slug}/admin/members", Admin, members::list),
        Route::get("/s/{slug}/admin/disputes", Admin, disputes::queue),
        Route::get("/s/{slug}/admin/audit", Admin, audit::log),
        Route::get("/s/{slug}/admin/audit.csv", Admin, audit::csv),
        Route::get("/s/{slug}/admin/members/{id}", Admin, members::view),
        Route::post(
            "/s/{slug}/admin/members/{id}/limit",
            Admin,
            members::set_limit,
        ),
        Route::post(
            "/s/{slug}/admin/members/{id}/suspend",
            Admin,
            members::suspend,
        ),
        Route::post(
            "/s/{slug}/admin/members/{id}/reactivate",
            Admin,
            members::reactivate,
        ),
        Route::post(
            "/s/{slug}/admin/members/{id}/role",
            Admin,
            members::set_role,
        ),
        Route::post(
            "/s/{slug}/admin/members/{id}/pay",
            Admin,
            members::record_payment,
        ),
        Route::post(
            "/s/{slug}/admin/members/{id}/leave",
            Admin,
            members::confirm_leave,
        ),
    ]
}

/// Invitations from a CSV file (`import`): the form, the preview of an upload, the import.
fn import_routes() -> Vec<Route> {
    use Access::Admin;
    vec![
        Route::get("/s/{slug}/admin/invitations/import", Admin, import::form),
        Route::post("/s/{slug}/admin/invitations/import", Admin, import::preview).upload(),
        Route::post(
            "/s/{slug}/admin/invitations/import/confirm",
            Admin,
            import::confirm,
        )
        .upload(),
    ]
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
        Route::get("/s/{slug}/admin/settings", Admin, settings::form),
        Route::post("/s/{slug}/admin/settings", Admin, settings::save),
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
        Route::get("/s/{slug}/admin/ledger.csv", Admin, ledger::transfers_csv),
        Route::get("/s/{slug}/admin/ledger/grant", Admin, grants::grant_form),
        Route::post("/s/{slug}/admin/ledger/grant", Admin, grants::grant_review),
        Route::post("/s/{slug}/admin/ledger/grant/confirm", Admin, grants::grant),
        Route::get("/s/{slug}/admin/ledger/limits", Admin, limits::limits),
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

/// The space's emails, for its admins (`outbox`): the list, one email, and a retry.
fn outbox_routes() -> Vec<Route> {
    use Access::Admin;
    vec![
        Route::get("/s/{slug}/admin/outbox", Admin, outbox::list),
        Route::get("/s/{slug}/admin/outbox/{id}", Admin, outbox::email),
        Route::post("/s/{slug}/admin/outbox/{id}/retry", Admin, outbox::retry),
    ]
}
