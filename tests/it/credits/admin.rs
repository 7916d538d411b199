//! The admin ledger: grants, limits, reversals and verify, each audited, and only for admins.

use axum::http::StatusCode;
use swapdesk::ledger;

use super::{World, hidden, world};
use crate::helpers::{Browser, Page};

/// Ana, the admin, signed in.
pub(super) async fn admin(w: &World) -> Browser {
    w.app.signed_in("ana@example.org").await
}

/// The id the grant form hands out, so that submitting it twice grants once.
pub(super) async fn grant_id(ana: &mut Browser) -> String {
    let form = ana.get("/s/harbour/admin/ledger/grant").await;
    hidden(&form, "id")
}

/// Sends the grant form to Bea to `path`: the form's own address checks it, its
/// `/confirm` grants it.
async fn post_grant(
    ana: &mut Browser,
    path: &str,
    w: &World,
    amount: &str,
    memo: &str,
    id: &str,
) -> Page {
    let bea = w.bea.0.to_string();
    ana.post(
        path,
        &[
            ("member", &bea),
            ("amount", amount),
            ("memo", memo),
            ("id", id),
        ],
    )
    .await
}

/// The check step of a grant to Bea.
pub(super) async fn check_grant(
    ana: &mut Browser,
    w: &World,
    amount: &str,
    memo: &str,
    id: &str,
) -> Page {
    post_grant(ana, "/s/harbour/admin/ledger/grant", w, amount, memo, id).await
}

/// A grant to Bea, confirmed as the check page's button does.
pub(super) async fn grant(
    ana: &mut Browser,
    w: &World,
    amount: &str,
    memo: &str,
    id: &str,
) -> Page {
    post_grant(
        ana,
        "/s/harbour/admin/ledger/grant/confirm",
        w,
        amount,
        memo,
        id,
    )
    .await
}

/// Grants Bea 5.00 for running the lunch, through the check step.
async fn lunch_grant(ana: &mut Browser, w: &World) {
    let id = grant_id(ana).await;
    let check = check_grant(ana, w, "5", "Ran the lunch", &id).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    let done = grant(ana, w, "5", "Ran the lunch", &hidden(&check, "id")).await;
    assert_eq!(
        done.location(),
        format!("/s/harbour/admin/ledger?granted={id}")
    );
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

pub(super) async fn audited_ledger_actions(w: &World) -> Vec<String> {
    sqlx::query_scalar("select action from audit_log where action like 'ledger.%' order by id")
        .fetch_all(&w.app.db)
        .await
        .unwrap()
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
async fn each_reverse_link_names_its_transfer_and_each_cell_says_what_it_is() {
    let w = world().await;
    let mut ana = admin(&w).await;
    lunch_grant(&mut ana, &w).await;
    let list = ana.get("/s/harbour/admin/ledger").await;
    for label in ["When", "What", "From", "To", "Amount"] {
        assert!(list.has(&format!("<td data-label=\"{label}\"")), "{label}");
    }
    let names: Vec<&str> = list
        .body
        .split("/reverse\">")
        .skip(1)
        .map(|rest| rest.split("</a>").next().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "the lunch grant and Ana's welcome grant");
    assert!(
        names[0].starts_with("Reverse<span class=\"visually-hidden\"> the grant of 5.00 hours from The space to Bea, "),
        "{}",
        names[0]
    );
    assert!(names[1].contains("the grant of 10.00 hours from The space to Ana, "));
    assert_ne!(names[0], names[1]);
}

#[tokio::test]
async fn admins_set_a_members_limit_and_the_default_and_each_is_audited() {
    let w = world().await;
    let mut ana = admin(&w).await;
    let bea = w.bea.0.to_string();
    ana.get("/s/harbour/admin/ledger/limits").await;
    let limit = ana
        .post(
            &format!("/s/harbour/admin/members/{bea}/limit"),
            &[("limit", "0")],
        )
        .await;
    assert_eq!(limit.status, StatusCode::SEE_OTHER);
    let refused = ana
        .post(
            &format!("/s/harbour/admin/members/{bea}/limit"),
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
async fn a_saved_limit_names_whose_limit_changed() {
    let w = world().await;
    let mut ana = admin(&w).await;
    let path = format!("/s/harbour/admin/members/{}/limit", w.bea.0);
    ana.get("/s/harbour/admin/ledger/limits").await;
    let saved = ana.post(&path, &[("limit", "5")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = ana.get(saved.location()).await;
    assert!(
        page.has("Bea&#39;s credit limit is now 5.00 hours.")
            || page.has("Bea's credit limit is now 5.00 hours."),
        "{}",
        page.body
    );
    let same = ana.post(&path, &[("limit", "5.00")]).await;
    let page = ana.get(same.location()).await;
    assert!(page.has("credit limit was already 5.00 hours: nothing changed."));
    let default = ana
        .post(
            "/s/harbour/admin/ledger/default-limit",
            &[("default_limit", "15")],
        )
        .await;
    let page = ana.get(default.location()).await;
    assert!(page.has("New members now start with a credit limit of 15.00 hours."));
    assert_eq!(
        audited_ledger_actions(&w).await,
        ["ledger.limit_set", "ledger.default_limit_set"],
        "a save that changes nothing is not an action"
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
async fn verify_speaks_plainly_numbers_its_checks_and_explains_the_space_account() {
    let w = world().await;
    let mut ana = admin(&w).await;
    let form = ana.get("/s/harbour/admin/ledger/verify").await;
    let why = "The space account&#39;s balance is -10.00 hours. That is expected";
    let why_plain = "The space account's balance is -10.00 hours. That is expected";
    assert!(form.has(why) || form.has(why_plain), "{}", form.body);
    let report = ana.post("/s/harbour/admin/ledger/verify", &[]).await;
    assert!(report.has("Every check passed"));
    assert!(report.has("Checked 4 accounts, 1 transfer and 2 statement lines."));
    let list = report.body.split("<ol class=\"checks\">").nth(1).unwrap();
    let list = list.split("</ol>").next().unwrap();
    assert_eq!(
        list.matches("<li>").count(),
        7,
        "seven checks, numbered 1 to 7 by the list"
    );
    assert_eq!(list.matches("<span class=\"tag\">Passed</span>").count(), 7);
    let words = report.body.to_lowercase();
    for jargon in ["invariant", "cached", "counters"] {
        assert!(!words.contains(jargon), "{jargon}");
    }
    let ledger = ana.get("/s/harbour/admin/ledger").await;
    assert!(ledger.has(why) || ledger.has(why_plain));

    // Someone with database access moves credits behind the ledger's back.
    sqlx::query("alter table ledger_accounts drop constraint ledger_accounts_within_limit")
        .execute(&w.app.db)
        .await
        .unwrap();
    sqlx::query(
        "update ledger_accounts set credits_posted = credits_posted + 100
         where membership_id = $1",
    )
    .bind(w.bea.0)
    .execute(&w.app.db)
    .await
    .unwrap();
    let broken = ana.post("/s/harbour/admin/ledger/verify", &[]).await;
    assert!(broken.has("checks failed") && broken.has("<span class=\"tag\">Failed</span>"));
    assert!(broken.has("Nothing has been repaired"));
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
        let id = ledger::new_id().to_string();
        let page = check_grant(&mut who, &w, "100", "x", &id).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let page = grant(&mut who, &w, "100", "x", &id).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let page = who
            .post(
                &format!("/s/harbour/admin/members/{bea}/limit"),
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
