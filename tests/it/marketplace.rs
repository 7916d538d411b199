//! The marketplace (SPEC §3.1): offers and requests posted through the form, refused when
//! wrong, found by words and filters, kept by their owners, and closed when they expire.

mod access;
mod expiry;
mod fallback;
mod hidden;
mod mine;
mod posting;
mod search;
mod validation;

use axum::http::StatusCode;
use swapdesk::skills::db as skills_db;
use swapdesk::skills::model::CategoryId;
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};

use crate::helpers::{Browser, Page, TestApp};

/// Harbour, with members of every standing, and Dock, a space of its own next door.
struct World {
    app: TestApp,
    space: SpaceId,
    dock: SpaceId,
    design: CategoryId,
    finance: CategoryId,
    /// A category of Dock's, which Harbour's forms must never accept.
    dock_design: CategoryId,
    bea: MembershipId,
    cy: MembershipId,
    sam: MembershipId,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Approval).await;
    let dock = app.space("dock", SignupMode::Open).await;
    let category = |space, name| {
        let db = &app.db;
        async move {
            skills_db::create_category(db, space, name)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let design = category(space, "Design").await;
    let finance = category(space, "Finance").await;
    let dock_design = category(dock, "Design").await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    let (_, bea) = app
        .member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    let (_, cy) = app
        .member(space, "cy@example.org", Role::Member, Status::Active)
        .await;
    app.member(space, "pat@example.org", Role::Member, Status::Pending)
        .await;
    let (_, sam) = app
        .member(space, "sam@example.org", Role::Member, Status::Suspended)
        .await;
    // Olly is a member of Dock only: a stranger to Harbour.
    app.member(dock, "olly@example.org", Role::Admin, Status::Active)
        .await;
    World {
        app,
        space,
        dock,
        design,
        finance,
        dock_design,
        bea,
        cy,
        sam,
    }
}

/// A complete, valid listing form (a fixed-price offer), with some fields changed.
fn form(w: &World, changes: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("kind", "offer".to_owned()),
        ("title", "Logo design for your startup".to_owned()),
        ("description", "Two rounds of changes.".to_owned()),
        ("category", w.design.to_string()),
        ("price_mode", "fixed".to_owned()),
        ("price", "12.50".to_owned()),
        ("hours", String::new()),
        ("expires_on", String::new()),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push((name, (*value).to_owned())),
        }
    }
    fields
}

/// Sends a form with the browser's CSRF token, as the page would.
async fn submit(browser: &mut Browser, path: &str, fields: &[(&str, String)]) -> Page {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post(path, &pairs).await
}

/// Posts a listing through the form and returns its id, from where the form sends us.
async fn post_listing(browser: &mut Browser, fields: &[(&str, String)]) -> i64 {
    browser.get("/s/harbour/market/new").await;
    let done = submit(browser, "/s/harbour/market", fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    done.location()
        .strip_prefix("/s/harbour/market/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("posted to {}", done.location()))
}

/// A listing written straight to the database: a fixed price of 5.00, open, no expiry.
async fn insert(
    w: &World,
    who: MembershipId,
    kind: &str,
    title: &str,
    description: &str,
    category: CategoryId,
) -> i64 {
    insert_in(&w.app, w.space, who, kind, title, description, category).await
}

async fn insert_in(
    app: &TestApp,
    space: SpaceId,
    who: MembershipId,
    kind: &str,
    title: &str,
    description: &str,
    category: CategoryId,
) -> i64 {
    sqlx::query_scalar(
        "insert into listings (space_id, membership_id, kind, title, description, category_id,
                               price_mode, price)
         values ($1, $2, $3, $4, $5, $6, 'fixed', 500) returning id",
    )
    .bind(space.0)
    .bind(who.0)
    .bind(kind)
    .bind(title)
    .bind(description)
    .bind(category.0)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// Every listing, every column, as text: equal before and after means nothing changed.
async fn snapshot(app: &TestApp) -> String {
    sqlx::query_scalar(
        "select coalesce(string_agg(l::text, E'\\n' order by l.id), '') from listings l",
    )
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn sql(app: &TestApp, statement: &str, id: i64) {
    sqlx::query(statement)
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
}

/// The titles of the listing cards on a marketplace page, in order.
fn titles(page: &Page) -> Vec<String> {
    page.body
        .split("<h2><a href=\"/s/harbour/market/")
        .skip(1)
        .filter_map(|s| s.split('>').nth(1))
        .filter_map(|s| s.split('<').next())
        .map(str::to_owned)
        .collect()
}

/// The marketplace's cards for a query string, which must be a good one.
async fn search(browser: &mut Browser, query: &str) -> Vec<String> {
    let page = browser.get(&format!("/s/harbour/market?{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
    titles(&page)
}
