//! An admin action and its audit record stand or fall together (STYLE.md): when the record
//! cannot be written, the action is not done either.

use axum::http::StatusCode;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{Browser, TestApp};

/// Makes every audit record of `action` fail to write, as a full disk or a lost connection
/// between an action and its record would.
async fn refuse_audit_of(app: &TestApp, action: &str) {
    sqlx::query(&format!(
        "create or replace function test_refuse_audit() returns trigger language plpgsql as $$
         begin
             if new.action = '{action}' then raise exception 'audit log unavailable'; end if;
             return new;
         end $$"
    ))
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "create or replace trigger test_refuse_audit before insert on audit_log
         for each row execute function test_refuse_audit()",
    )
    .execute(&app.db)
    .await
    .unwrap();
}

async fn space_with_admin() -> (TestApp, Browser) {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Approval).await;
    app.member(space, "ana@example.org", Role::Admin, Status::Active)
        .await;
    app.member(space, "bea@example.org", Role::Member, Status::Active)
        .await;
    let ana = app.signed_in("ana@example.org").await;
    (app, ana)
}

fn hidden(page: &crate::helpers::Page, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.body.find(&marker).unwrap() + marker.len();
    let end = page.body[start..].find('"').unwrap();
    page.body[start..start + end].to_owned()
}

async fn bea(app: &TestApp) -> String {
    app.count(
        "select m.id from memberships m join people p on p.id = m.person_id
               where p.email = 'bea@example.org'",
    )
    .await
    .to_string()
}

#[tokio::test]
async fn a_grant_without_its_audit_record_is_not_made() {
    let (app, mut ana) = space_with_admin().await;
    let bea = bea(&app).await;
    refuse_audit_of(&app, "ledger.grant").await;
    let form = ana.get("/s/harbour/admin/ledger/grant").await;
    let grant = [
        ("member", bea.as_str()),
        ("amount", "5"),
        ("memo", "Ran the lunch"),
        ("id", &hidden(&form, "id")),
    ];
    let page = ana
        .post("/s/harbour/admin/ledger/grant/confirm", &grant)
        .await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.count("select count(*) from ledger_transfers").await, 0);
    // Once the log works again, the same form goes through, once, with its record.
    refuse_audit_of(&app, "nothing").await;
    let page = ana
        .post("/s/harbour/admin/ledger/grant/confirm", &grant)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from ledger_transfers").await, 1);
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'ledger.grant'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_reversal_without_its_audit_record_is_not_made() {
    let (app, mut ana) = space_with_admin().await;
    let bea = bea(&app).await;
    let form = ana.get("/s/harbour/admin/ledger/grant").await;
    ana.post(
        "/s/harbour/admin/ledger/grant/confirm",
        &[
            ("member", &bea),
            ("amount", "5"),
            ("memo", "Twice by mistake"),
            ("id", &hidden(&form, "id")),
        ],
    )
    .await;
    let grant: uuid::Uuid = sqlx::query_scalar("select id from ledger_transfers")
        .fetch_one(&app.db)
        .await
        .unwrap();
    refuse_audit_of(&app, "ledger.reversal").await;
    let path = format!("/s/harbour/admin/ledger/transfers/{grant}/reverse");
    let confirm = ana.get(&path).await;
    let page = ana
        .post(
            &path,
            &[("reason", "Granted twice"), ("id", &hidden(&confirm, "id"))],
        )
        .await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.count("select count(*) from ledger_transfers").await, 1);
}

#[tokio::test]
async fn a_category_change_without_its_audit_record_is_not_made() {
    let (app, mut ana) = space_with_admin().await;
    refuse_audit_of(&app, "category.created").await;
    ana.get("/s/harbour/admin/categories").await;
    let page = ana
        .post("/s/harbour/admin/categories", &[("name", "Design")])
        .await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.count("select count(*) from skill_categories").await, 0);
}

#[tokio::test]
async fn an_approval_without_its_audit_record_is_not_made() {
    let (app, mut ana) = space_with_admin().await;
    let space: i64 = app.count("select id from spaces").await;
    let (_, carl) = app
        .member(
            swapdesk::spaces::model::SpaceId(space),
            "carl@example.org",
            Role::Member,
            Status::Pending,
        )
        .await;
    refuse_audit_of(&app, "application.approved").await;
    ana.get("/s/harbour/admin/applications").await;
    let page = ana
        .post(
            &format!("/s/harbour/admin/applications/{carl}/approve"),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        app.count("select count(*) from memberships where status = 'pending'")
            .await,
        1
    );
    assert_eq!(
        app.emails_to("carl@example.org").await,
        0,
        "no welcome either"
    );
}
