//! The admin ledger: grants, limits, reversals and verify, each audited, and only for admins.

use axum::http::StatusCode;
use swapdesk::ledger;

use super::{World, hidden, world};
use crate::helpers::{Browser, Page};

/// Ana, the admin, signed in.
async fn admin(w: &World) -> Browser {
    w.app.signed_in("ana@example.org").await
}

/// The id the grant form hands out, so that submitting it twice grants once.
async fn grant_id(ana: &mut Browser) -> String {
    let form = ana.get("/s/harbour/admin/ledger/grant").await;
    hidden(&form, "id")
}

async fn grant(ana: &mut Browser, w: &World, amount: &str, memo: &str, id: &str) -> Page {
    let bea = w.bea.0.to_string();
    ana.post(
        "/s/harbour/admin/ledger/grant",
        &[
            ("member", &bea),
            ("amount", amount),
            ("memo", memo),
            ("id", id),
        ],
    )
    .await
}

/// Grants Bea 5.00 for running the lunch.
async fn lunch_grant(ana: &mut Browser, w: &World) {
    let id = grant_id(ana).await;
    let done = grant(ana, w, "5", "Ran the lunch", &id).await;
    assert_eq!(done.location(), "/s/harbour/admin/ledger");
}

/// The lunch grant's reversal form: where it posts, the id it hands out, and the page.
async fn reversal_of_the_lunch_grant(ana: &mut Browser, w: &World) -> (String, String, Page) {
    let grant_id: uuid::Uuid =
        sqlx::query_scalar("select id from ledger_transfers where memo = 'Ran the lunch'")
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    let path = format!("/s/harbour/admin/ledger/transfers/{grant_id}/reverse");
    let confirm = ana.get(&path).await;
    let id = hidden(&confirm, "id");
    (path, id, confirm)
}

async fn reverse(ana: &mut Browser, path: &str, id: &str, reason: &str) -> Page {
    ana.post(path, &[("reason", reason), ("id", id)]).await
}

async fn audited_ledger_actions(w: &World) -> Vec<String> {
    sqlx::query_scalar("select action from audit_log where action like 'ledger.%' order by id")
        .fetch_all(&w.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_grant_without_a_reason_is_refused() {
    let w = world().await;
    let mut ana = admin(&w).await;
    let id = grant_id(&mut ana).await;
    let bad = grant(&mut ana, &w, "zero", "", &id).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("Say what the grant is for"));
}

#[tokio::test]
async fn a_grant_submitted_twice_pays_once_and_is_audited() {
    let w = world().await;
    let mut ana = admin(&w).await;
    let id = grant_id(&mut ana).await;
    let done = grant(&mut ana, &w, "5", "Ran the lunch", &id).await;
    assert_eq!(done.location(), "/s/harbour/admin/ledger");
    grant(&mut ana, &w, "5", "Ran the lunch", &id).await;
    assert_eq!(
        w.app
            .count("select count(*) from ledger_transfers where memo = 'Ran the lunch'")
            .await,
        1
    );
    assert_eq!(audited_ledger_actions(&w).await, ["ledger.grant"]);
}

#[tokio::test]
async fn the_admin_ledger_lists_transfers_by_kind_and_by_member() {
    let w = world().await;
    let mut ana = admin(&w).await;
    lunch_grant(&mut ana, &w).await;
    let list = ana.get("/s/harbour/admin/ledger?kind=grant").await;
    assert!(list.has("Ran the lunch") && list.has("Bea"));
    let filtered = ana
        .get(&format!("/s/harbour/admin/ledger?member={}", w.cy.0))
        .await;
    assert!(filtered.has("match these filters"));
}

#[tokio::test]
async fn admins_set_a_members_limit_and_the_default_and_each_is_audited() {
    let w = world().await;
    let mut ana = admin(&w).await;
    let bea = w.bea.0.to_string();
    ana.get("/s/harbour/admin/ledger/limits").await;
    let limit = ana
        .post(
            &format!("/s/harbour/admin/ledger/limits/{bea}"),
            &[("limit", "0")],
        )
        .await;
    assert_eq!(limit.status, StatusCode::SEE_OTHER);
    let refused = ana
        .post(
            &format!("/s/harbour/admin/ledger/limits/{bea}"),
            &[("limit", "lots")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let default = ana
        .post(
            "/s/harbour/admin/ledger/default-limit",
            &[("default_limit", "15")],
        )
        .await;
    assert_eq!(default.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .count("select default_credit_limit from spaces where slug = 'harbour'")
            .await,
        1500
    );
    assert_eq!(
        audited_ledger_actions(&w).await,
        ["ledger.limit_set", "ledger.default_limit_set"]
    );
}

#[tokio::test]
async fn an_admin_reverses_a_transfer_once_they_give_a_reason_and_it_is_audited() {
    let w = world().await;
    let mut ana = admin(&w).await;
    lunch_grant(&mut ana, &w).await;
    let (path, id, confirm) = reversal_of_the_lunch_grant(&mut ana, &w).await;
    assert!(confirm.has("Reverse 5.00 hours from Bea to The space"));
    let no_reason = reverse(&mut ana, &path, &id, "").await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reversed = reverse(&mut ana, &path, &id, "Granted twice by mistake").await;
    assert_eq!(reversed.status, StatusCode::SEE_OTHER, "{}", reversed.body);
    assert!(ana.get("/s/harbour/admin/ledger").await.has("Reversed"));
    assert_eq!(
        audited_ledger_actions(&w).await,
        ["ledger.grant", "ledger.reversal"]
    );
}

#[tokio::test]
async fn an_admin_verifies_the_ledger_after_a_reversal_and_it_is_audited() {
    let w = world().await;
    let mut ana = admin(&w).await;
    lunch_grant(&mut ana, &w).await;
    let (path, id, _) = reversal_of_the_lunch_grant(&mut ana, &w).await;
    reverse(&mut ana, &path, &id, "Granted twice by mistake").await;
    let report = ana.post("/s/harbour/admin/ledger/verify", &[]).await;
    assert!(report.has("Every check passed"), "{}", report.body);
    assert_eq!(
        audited_ledger_actions(&w).await,
        ["ledger.grant", "ledger.reversal", "ledger.verify"]
    );
}

#[tokio::test]
async fn members_and_strangers_cannot_use_the_admin_ledger() {
    let w = world().await;
    let bea = w.bea.0.to_string();
    w.app.person("stranger@example.org", "Stranger").await;
    for email in [
        "bea@example.org",
        "olga@example.org",
        "stranger@example.org",
    ] {
        let mut who = w.app.signed_in(email).await;
        for path in [
            "/s/harbour/admin/ledger",
            "/s/harbour/admin/ledger/grant",
            "/s/harbour/admin/ledger/limits",
            "/s/harbour/admin/ledger/verify",
        ] {
            assert_eq!(
                who.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{email} {path}"
            );
        }
        let page = grant(&mut who, &w, "100", "x", &ledger::new_id().to_string()).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let page = who
            .post(
                &format!("/s/harbour/admin/ledger/limits/{bea}"),
                &[("limit", "1000")],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        w.app.count("select count(*) from ledger_transfers").await,
        1
    );
}
