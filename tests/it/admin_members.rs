//! The admin's members (SPEC §6.1): the list, suspension and reactivation, roles and the
//! last admin (with its race), credit limits, and payments recorded for a member.

use axum::http::StatusCode;
use swapdesk::admin::members::service::{self, Change, Changed};
use swapdesk::audit::Actor;
use swapdesk::spaces::model::{Role, Status};
use swapdesk::trades::model::TradeState;

use crate::helpers::TestApp;
use crate::trades::{Someone, Stage, World};

async fn audit(app: &TestApp, action: &str) -> i64 {
    app.count(&format!(
        "select count(*) from audit_log where action = '{action}'"
    ))
    .await
}

async fn status(w: &World, who: Someone) -> String {
    sqlx::query_scalar("select status from memberships where id = $1")
        .bind(who.member.0)
        .fetch_one(&w.app.db)
        .await
        .unwrap()
}

async fn role(w: &World, who: Someone) -> String {
    sqlx::query_scalar("select role from memberships where id = $1")
        .bind(who.member.0)
        .fetch_one(&w.app.db)
        .await
        .unwrap()
}

fn page_of(who: Someone) -> String {
    format!("/s/harbour/admin/members/{}", who.member)
}

#[tokio::test]
async fn the_list_finds_members_by_name_or_email_and_filters_by_status_and_role() {
    let w = World::new().await;
    w.set_status(w.dan, Status::Suspended).await;
    let mut ana = w.browser(w.ana).await;
    let all = ana.get("/s/harbour/admin/members").await;
    assert_eq!(all.status, StatusCode::OK);
    for email in [
        "ana@example.org",
        "bea@example.org",
        "cy@example.org",
        "dan@example.org",
    ] {
        assert!(all.has(email), "{email}");
    }
    let found = ana.get("/s/harbour/admin/members?q=BEA").await;
    assert!(found.has("bea@example.org") && !found.has("cy@example.org"));
    // Wildcards are taken literally.
    let none = ana.get("/s/harbour/admin/members?q=%25").await;
    assert!(none.has("No member matches"));
    let suspended = ana.get("/s/harbour/admin/members?status=suspended").await;
    assert!(suspended.has("dan@example.org") && !suspended.has("bea@example.org"));
    let admins = ana.get("/s/harbour/admin/members?role=admin").await;
    assert!(admins.has("ana@example.org") && !admins.has("bea@example.org"));
    let bad = ana.get("/s/harbour/admin/members?status=asleep").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Only admins see it.
    let mut bea = w.browser(w.bea).await;
    let refused = bea.get("/s/harbour/admin/members").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_suspension_closes_the_members_pages_and_stops_their_trades_until_reactivated() {
    let w = World::new().await;
    let accepted = w.trade_in(Stage::Accepted).await;
    let proposed = w.trade_in(Stage::Proposed).await;
    let mut ana = w.browser(w.ana).await;
    let mut cy = w.browser(w.cy).await;
    assert_eq!(cy.get("/s/harbour/market").await.status, StatusCode::OK);
    let csrf = ana.get(&page_of(w.cy)).await.csrf().unwrap();
    // No reason: refused, with the form back.
    let refused = ana
        .post(
            &format!("{}/suspend", page_of(w.cy)),
            &[("csrf", &csrf), ("reason", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("Say why, for the audit log"));
    assert_eq!(status(&w, w.cy).await, "active");
    let done = ana
        .post(
            &format!("{}/suspend", page_of(w.cy)),
            &[("csrf", &csrf), ("reason", "Unpaid desk rent")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&w, w.cy).await, "suspended");
    assert_eq!(
        cy.get("/s/harbour/market").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.trade(accepted).await.state, TradeState::Disputed);
    assert_eq!(w.trade(proposed).await.state, TradeState::Cancelled);
    assert_eq!(audit(&w.app, "member.suspended").await, 1);
    let detail: String = sqlx::query_scalar(
        "select detail->>'reason' from audit_log where action = 'member.suspended'",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(detail, "Unpaid desk rent");
    ana.post(
        &format!("{}/reactivate", page_of(w.cy)),
        &[("csrf", &csrf), ("reason", "Paid up")],
    )
    .await;
    assert_eq!(status(&w, w.cy).await, "active");
    assert_eq!(cy.get("/s/harbour/market").await.status, StatusCode::OK);
    assert_eq!(audit(&w.app, "member.reactivated").await, 1);
}

#[tokio::test]
async fn roles_change_but_the_last_admin_stays_and_nobody_suspends_themselves() {
    let w = World::new().await;
    let mut ana = w.browser(w.ana).await;
    let csrf = ana.get(&page_of(w.ana)).await.csrf().unwrap();
    let last = ana
        .post(
            &format!("{}/role", page_of(w.ana)),
            &[("csrf", &csrf), ("role", "member")],
        )
        .await;
    assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(last.has("A space needs an active admin"));
    assert_eq!(role(&w, w.ana).await, "admin");
    let myself = ana
        .post(
            &format!("{}/suspend", page_of(w.ana)),
            &[("csrf", &csrf), ("reason", "Holiday")],
        )
        .await;
    assert_eq!(myself.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Bea becomes an admin; then Ana may step down.
    ana.post(
        &format!("{}/role", page_of(w.bea)),
        &[("csrf", &csrf), ("role", "admin")],
    )
    .await;
    assert_eq!(role(&w, w.bea).await, "admin");
    let down = ana
        .post(
            &format!("{}/role", page_of(w.ana)),
            &[("csrf", &csrf), ("role", "member")],
        )
        .await;
    assert_eq!(down.status, StatusCode::SEE_OTHER);
    assert_eq!(role(&w, w.ana).await, "member");
    assert_eq!(audit(&w.app, "member.role_changed").await, 2);
    // Ana is no admin any more: the admin pages refuse her.
    let gone = ana.get("/s/harbour/admin/members").await;
    assert_eq!(gone.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let w = World::new().await;
    let actor = |who: Someone| Actor {
        space: w.space,
        person: who.person,
        ip: None,
    };
    for round in 0..20 {
        // Bea is an admin again at the start of every round, and Ana too.
        for who in [w.ana, w.bea] {
            sqlx::query("update memberships set role = 'admin' where id = $1")
                .bind(who.member.0)
                .execute(&w.app.db)
                .await
                .unwrap();
        }
        let demote = |by: Someone, target: Someone, change: Change| {
            let db = w.app.db.clone();
            async move {
                let mut tx = db.begin().await.unwrap();
                let done =
                    service::change(&mut tx, actor(by), by.member, target.member, change, "")
                        .await
                        .unwrap();
                tx.commit().await.unwrap();
                done
            }
        };
        // One demotes, the other suspends: each alone would be allowed.
        let (a, b) = tokio::join!(
            demote(w.ana, w.bea, Change::Role(Role::Member)),
            demote(w.bea, w.ana, Change::Suspend),
        );
        let outcomes = [a, b];
        let wins = outcomes.iter().filter(|c| **c == Changed::Done).count();
        assert_eq!(wins, 1, "round {round}: {outcomes:?}");
        // The loser finds either that it would leave no admin, or that it is no admin now.
        assert!(
            outcomes.contains(&Changed::LastAdmin) || outcomes.contains(&Changed::NotAdmin),
            "round {round}: {outcomes:?}"
        );
        let active_admins = w
            .app
            .count(
                "select count(*) from memberships
                 where role = 'admin' and status = 'active'",
            )
            .await;
        assert_eq!(active_admins, 1, "round {round}");
        sqlx::query("update memberships set status = 'active'")
            .execute(&w.app.db)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_credit_limit_is_set_from_the_members_page_and_audited() {
    let w = World::new().await;
    let mut ana = w.browser(w.ana).await;
    let csrf = ana.get(&page_of(w.bea)).await.csrf().unwrap();
    let bad = ana
        .post(
            &format!("{}/limit", page_of(w.bea)),
            &[("csrf", &csrf), ("limit", "-5")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("value=\"-5\""), "the form keeps what was typed");
    let saved = ana
        .post(
            &format!("{}/limit", page_of(w.bea)),
            &[("csrf", &csrf), ("limit", "35")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = ana.get(saved.location()).await;
    assert!(
        page.has("Bea&#39;s credit limit is now 35.00 hours.")
            || page.has("Bea's credit limit is now 35.00 hours."),
        "{}",
        page.body
    );
    assert_eq!(audit(&w.app, "ledger.limit_set").await, 1);
}

#[tokio::test]
async fn a_payment_recorded_for_a_member_names_the_admin_and_pays_once() {
    let w = World::new().await;
    let mut ana = w.browser(w.ana).await;
    let page = ana.get(&page_of(w.bea)).await;
    let csrf = page.csrf().unwrap();
    let marker = "name=\"id\" value=\"";
    let start = page.body.find(marker).unwrap() + marker.len();
    let id = page.body[start..].split('"').next().unwrap().to_owned();
    let cy = w.cy.member.to_string();
    let fields = [
        ("csrf", csrf.as_str()),
        ("id", id.as_str()),
        ("to", cy.as_str()),
        ("amount", "1.5"),
        ("memo", "Paid in person for the bike fix"),
    ];
    let path = format!("{}/pay", page_of(w.bea));
    assert_eq!(ana.post(&path, &fields).await.status, StatusCode::SEE_OTHER);
    assert_eq!(ana.post(&path, &fields).await.status, StatusCode::SEE_OTHER);
    let (count, by): (i64, Option<i64>) = sqlx::query_as(
        "select count(*), max(initiated_by) from ledger_transfers where code = 'gift'",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(count, 1, "a double submit pays once");
    assert_eq!(
        by,
        Some(w.ana.person.0),
        "the admin is named on the transfer"
    );
    assert_eq!(
        audit(&w.app, "ledger.payment_recorded").await,
        1,
        "audited once, not again for the double submit"
    );
    // To oneself, or more than Bea can pay: refused with the form refilled.
    let bea = w.bea.member.to_string();
    let own = [
        ("csrf", csrf.as_str()),
        ("id", id.as_str()),
        ("to", bea.as_str()),
        ("amount", "1"),
        ("memo", ""),
    ];
    let refused = ana.post(&path, &own).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fresh = swapdesk::ledger::new_id().to_string();
    let too_much = [
        ("csrf", csrf.as_str()),
        ("id", fresh.as_str()),
        ("to", cy.as_str()),
        ("amount", "900"),
        ("memo", "A lot"),
    ];
    let refused = ana.post(&path, &too_much).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("value=\"900\""));
    assert!(refused.has("more than this member can pay"));
}

#[tokio::test]
async fn another_spaces_admin_and_strangers_are_refused() {
    let w = World::new().await;
    let other = w
        .app
        .space("other", swapdesk::spaces::model::SignupMode::Open)
        .await;
    w.app
        .member(other, "olga@example.org", Role::Admin, Status::Active)
        .await;
    let mut olga = w.app.signed_in("olga@example.org").await;
    // Her own space's page for a member of Harbour: not found.
    let path = format!("/s/other/admin/members/{}", w.bea.member);
    assert_eq!(olga.get(&path).await.status, StatusCode::NOT_FOUND);
    let csrf = olga.get("/s/other/admin/members").await.csrf().unwrap();
    let tried = olga
        .post(
            &format!("{path}/suspend"),
            &[("csrf", &csrf), ("reason", "Because")],
        )
        .await;
    assert_eq!(tried.status, StatusCode::NOT_FOUND);
    assert_eq!(status(&w, w.bea).await, "active");
}
