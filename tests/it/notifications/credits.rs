//! Credits and the ledger tell the right people once: a gift (not its double submit, not a
//! refused one), a grant, a reversal that pays a member back, and a failed verify.

use axum::http::StatusCode;
use swapdesk::admin::service::{self as admin_service, Grant};
use swapdesk::audit::Actor;

use super::events::{Told, to};
use crate::trades::World;

#[tokio::test]
async fn credits_received_tell_the_receiver_once() {
    let w = World::new().await;
    let mut told = Told::new();
    let mut bea = w.browser(w.bea).await;
    let form = bea
        .get(&format!("/s/harbour/credits/send?to={}", w.cy.member))
        .await;
    let (csrf, id) = (form.csrf().unwrap(), hidden(&form.body, "id"));
    let to_cy = w.cy.member.to_string();
    let fields = [
        ("csrf", csrf.as_str()),
        ("id", id.as_str()),
        ("to", to_cy.as_str()),
        ("amount", "2"),
        ("memo", "Thanks"),
    ];
    let paid = bea.post("/s/harbour/credits/send/confirm", &fields).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
    // The same form again (a double submit) pays once and tells once.
    bea.post("/s/harbour/credits/send/confirm", &fields).await;
    assert_eq!(told.since(&w).await, [to(w.cy, "credits_gift")]);
    let about: String =
        sqlx::query_scalar("select about from notifications order by id desc limit 1")
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!(about, "2.00");
    // Too much is refused, and tells nobody.
    let form = bea
        .get(&format!("/s/harbour/credits/send?to={}", w.cy.member))
        .await;
    let id = hidden(&form.body, "id");
    bea.post(
        "/s/harbour/credits/send/confirm",
        &[
            ("csrf", &csrf),
            ("id", &id),
            ("to", &to_cy),
            ("amount", "900"),
        ],
    )
    .await;
    assert!(told.since(&w).await.is_empty());
    // A grant tells its receiver, and so does a reversal the one it pays back.
    let grant_id = swapdesk::ledger::new_id();
    let grant = Grant {
        id: grant_id,
        to: w.dan.member,
        amount: 300,
        memo: "Welcome",
    };
    let admin = Actor {
        space: w.space,
        person: w.ana.person,
        ip: None,
    };
    let mut tx = w.app.db.begin().await.unwrap();
    admin_service::grant(&mut tx, admin, &grant).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(told.since(&w).await, [to(w.dan, "credits_grant")]);
    let mut tx = w.app.db.begin().await.unwrap();
    let reversal = swapdesk::ledger::new_id();
    admin_service::reverse(
        &mut tx,
        admin,
        w.ana.member,
        reversal,
        grant_id,
        "By mistake",
        false,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(
        told.since(&w).await.is_empty(),
        "the space account got it back: no member to tell"
    );
    let gift: uuid::Uuid =
        sqlx::query_scalar("select id from ledger_transfers where code = 'gift' limit 1")
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    let mut tx = w.app.db.begin().await.unwrap();
    admin_service::reverse(
        &mut tx,
        admin,
        w.ana.member,
        swapdesk::ledger::new_id(),
        gift,
        "Wrong Cy",
        false,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(told.since(&w).await, [to(w.bea, "credits_reversal")]);
}

/// The value of a hidden field on a page.
fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).unwrap() + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_failed_verify_tells_the_other_admins() {
    let w = World::new().await;
    w.grant(w.bea, 300).await;
    sqlx::query("update memberships set role = 'admin' where id = $1")
        .bind(w.dan.member.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    // Break a cached balance behind the ledger's back, as only a bug or an intruder could.
    let mut tx = w.app.db.begin().await.unwrap();
    sqlx::query("set local session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "update ledger_accounts set credits_posted = credits_posted + 100
         where membership_id = $1",
    )
    .bind(w.bea.member.0)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut told = Told::new();
    told.since(&w).await;
    let mut ana = w.browser(w.ana).await;
    ana.get("/s/harbour/admin/ledger/verify").await;
    let report = ana.post("/s/harbour/admin/ledger/verify", &[]).await;
    assert!(!report.has("Every check passed"), "{}", report.body);
    assert_eq!(told.since(&w).await, [to(w.dan, "admin_verify_failed")]);
}
