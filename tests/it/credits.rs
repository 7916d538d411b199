//! "My credits", "Send credits" and the admin ledger pages, through HTTP.

mod admin;
mod choosing;
mod grants;
mod send;
mod statement;

use axum::http::StatusCode;
use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::Code;
use swapdesk::ledger::{self, Payment};
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};

use crate::helpers::{Browser, Page, TestApp};

struct World {
    app: TestApp,
    space: SpaceId,
    bea: MembershipId,
    cy: MembershipId,
}

/// A space with Ana (admin), Bea and Cy, and a second space with Olga; Ana has 10.00.
async fn world() -> World {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let (_, ana) = app
        .member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    let (_, bea) = app
        .member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    let (_, cy) = app
        .member(space, "cy@example.org", Role::Member, Status::Active)
        .await;
    let other = app.space("other", SignupMode::Open).await;
    app.member(other, "olga@example.org", Role::Admin, Status::Active)
        .await;
    let system = ledger_db::space_account(&app.db, space).await.unwrap();
    let ana_account = ledger_db::member_account(&app.db, space, ana)
        .await
        .unwrap()
        .unwrap();
    let grant = Payment {
        id: ledger::new_id(),
        space,
        from: system,
        to: ana_account,
        amount: 1000,
        code: Code::Grant,
        memo: "Welcome",
        by: None,
    };
    ledger::transfer(&app.db, &grant).await.unwrap();
    World {
        app,
        space,
        bea,
        cy,
    }
}

fn hidden(page: &Page, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} on the page"))
        + marker.len();
    let end = page.body[start..].find('"').unwrap();
    page.body[start..start + end].to_owned()
}

async fn transfers(app: &TestApp) -> i64 {
    app.count("select count(*) from ledger_transfers where code = 'gift'")
        .await
}

async fn review(browser: &mut Browser, to: MembershipId, amount: &str, memo: &str) -> Page {
    let form = browser.get("/s/harbour/credits/send").await;
    assert_eq!(form.status, StatusCode::OK);
    let id = hidden(&form, "id");
    browser
        .post(
            "/s/harbour/credits/send",
            &[
                ("to", &to.0.to_string()),
                ("amount", amount),
                ("memo", memo),
                ("id", &id),
            ],
        )
        .await
}
