//! Leaving a space and deleting an account (SPEC §6.1): a member asks once nothing is held
//! for or by them, an admin confirms, the balance is settled with the space account and the
//! ledger account closed; a person who has left every space can erase their account, and
//! the history names them "Former member".

use axum::http::StatusCode;
use swapdesk::audit::Actor;
use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::{Code, Outcome, Reason};
use swapdesk::ledger::{self, Payment};
use swapdesk::members::leaving::service::{self as leaving, Left};
use swapdesk::spaces::model::{MembershipId, Role, Status};

use crate::helpers::PASSWORD;
use crate::trades::{Someone, Stage, World};

fn actor(w: &World, who: Someone) -> Actor {
    Actor {
        space: w.space,
        person: who.person,
        ip: None,
    }
}

async fn account_of(w: &World, member: MembershipId) -> (i64, bool) {
    sqlx::query_as(
        "select credits_posted - debits_posted + credits_pending + debits_pending, closed
         from ledger_accounts where membership_id = $1",
    )
    .bind(member.0)
    .fetch_one(&w.app.db)
    .await
    .unwrap()
}

async fn space_balance(w: &World) -> i64 {
    sqlx::query_scalar(
        "select credits_posted - debits_posted from ledger_accounts
         where space_id = $1 and code = 'space'",
    )
    .bind(w.space.0)
    .fetch_one(&w.app.db)
    .await
    .unwrap()
}

async fn status_of(w: &World, member: MembershipId) -> String {
    sqlx::query_scalar("select status from memberships where id = $1")
        .bind(member.0)
        .fetch_one(&w.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_member_with_an_open_trade_cannot_ask_to_leave() {
    let w = World::new().await;
    w.trade_in(Stage::Accepted).await;
    let mut bea = w.browser(w.bea).await;
    let page = bea.get("/s/harbour/leave").await;
    assert!(page.has("You cannot leave yet"));
    assert!(page.has("1 open trade"));
    assert!(page.has("Credits are held in a trade"));
    let refused = bea.post("/s/harbour/leave", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        w.app
            .count("select count(*) from memberships where leave_requested_at is not null")
            .await,
        0
    );
}

#[tokio::test]
async fn leaving_settles_the_balance_with_the_space_and_closes_the_account() {
    let w = World::new().await;
    w.grant(w.dan, 1000).await;
    let before = space_balance(&w).await;
    let mut dan = w.browser(w.dan).await;
    let asked = dan.post("/s/harbour/leave", &[]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert!(dan.get("/s/harbour/leave").await.has("You asked to leave."));
    let told: i64 = w
        .app
        .count("select count(*) from notifications where kind = 'admin_leave_request'")
        .await;
    assert_eq!(told, 1);

    let mut ana = w.browser(w.ana).await;
    let page = ana
        .get(&format!("/s/harbour/admin/members/{}", w.dan.member))
        .await;
    assert!(page.has("Dan asked to leave"), "{}", page.body);
    let done = ana
        .post(
            &format!("/s/harbour/admin/members/{}/leave", w.dan.member),
            &[],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(account_of(&w, w.dan.member).await, (0, true));
    assert_eq!(space_balance(&w).await, before + 1000);
    assert_eq!(status_of(&w, w.dan.member).await, "left");
    let settled: i64 = w
        .app
        .count("select count(*) from ledger_transfers where code = 'adjustment' and amount = 1000")
        .await;
    assert_eq!(settled, 1);
    assert_eq!(
        w.app
            .count("select count(*) from audit_log where action = 'member.left'")
            .await,
        1
    );
    // Their pages here close, and no payment reaches the closed account.
    let closed = dan.get("/s/harbour").await;
    assert_eq!(closed.status, StatusCode::FORBIDDEN);
    assert!(closed.has("You left this space"));
    let to = ledger_db::member_account(&w.app.db, w.space, w.dan.member)
        .await
        .unwrap()
        .unwrap();
    let refused = ledger::transfer(
        &w.app.db,
        &Payment {
            id: ledger::new_id(),
            space: w.space,
            from: ledger_db::space_account(&w.app.db, w.space).await.unwrap(),
            to,
            amount: 100,
            code: Code::Grant,
            memo: "",
            by: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(refused, Outcome::Rejected(Reason::AccountClosed));
    // Nothing about them changes any more, and that is said, not a 500.
    let suspend = ana
        .post(
            &format!("/s/harbour/admin/members/{}/suspend", w.dan.member),
            &[("reason", "Too late")],
        )
        .await;
    assert_eq!(suspend.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(suspend.has("They left the space"));
    let limit = ana
        .post(
            &format!("/s/harbour/admin/members/{}/limit", w.dan.member),
            &[("limit", "50")],
        )
        .await;
    assert_eq!(limit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(limit.has("They left the space"));
    // Confirming again changes nothing.
    ana.post(
        &format!("/s/harbour/admin/members/{}/leave", w.dan.member),
        &[],
    )
    .await;
    assert_eq!(
        w.app
            .count("select count(*) from audit_log where action = 'member.left'")
            .await,
        1
    );
    w.verified().await;
}

#[tokio::test]
async fn a_debt_is_settled_by_the_space_account() {
    let w = World::new().await;
    let from = ledger_db::member_account(&w.app.db, w.space, w.dan.member)
        .await
        .unwrap()
        .unwrap();
    let to = ledger_db::member_account(&w.app.db, w.space, w.cy.member)
        .await
        .unwrap()
        .unwrap();
    let gift = Payment {
        id: ledger::new_id(),
        space: w.space,
        from,
        to,
        amount: 300,
        code: Code::Gift,
        memo: "Thanks",
        by: None,
    };
    assert!(matches!(
        ledger::transfer(&w.app.db, &gift).await.unwrap(),
        Outcome::Applied(_)
    ));
    let mut conn = w.app.db.acquire().await.unwrap();
    leaving::ask(&mut conn, actor(&w, w.dan), w.dan.member)
        .await
        .unwrap();
    let mut tx = w.app.db.begin().await.unwrap();
    let left = leaving::confirm(&mut tx, actor(&w, w.ana), w.ana.member, w.dan.member)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(left, Left::Done { settled: -300 });
    assert_eq!(account_of(&w, w.dan.member).await, (0, true));
    w.verified().await;
}

#[tokio::test]
async fn an_admin_confirms_only_what_was_asked_and_never_for_the_last_admin() {
    let w = World::new().await;
    let mut ana = w.browser(w.ana).await;
    let not_asked = ana
        .post(
            &format!("/s/harbour/admin/members/{}/leave", w.cy.member),
            &[],
        )
        .await;
    assert_eq!(not_asked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_asked.has("They have not asked to leave."));
    let asked = ana.post("/s/harbour/leave", &[]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let last = ana
        .post(
            &format!("/s/harbour/admin/members/{}/leave", w.ana.member),
            &[],
        )
        .await;
    assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(last.has("last active admin"));
    assert_eq!(status_of(&w, w.ana.member).await, "active");
    // Members cannot confirm anyone's leaving.
    let mut cy = w.browser(w.cy).await;
    let refused = cy
        .post(
            &format!("/s/harbour/admin/members/{}/leave", w.ana.member),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Staying after all withdraws the request.
    let stayed = ana.post("/s/harbour/leave/stay", &[]).await;
    assert_eq!(stayed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .count("select count(*) from memberships where leave_requested_at is not null")
            .await,
        0
    );
}

#[tokio::test]
async fn a_suspended_members_membership_is_closed_by_an_admin_without_asking() {
    let w = World::new().await;
    w.grant(w.dan, 500).await;
    w.set_status(w.dan, Status::Suspended).await;
    // Their pages are closed, so the deletion page says whom to ask rather than linking.
    let mut dan = w.browser(w.dan).await;
    let page = dan.get("/account/delete").await;
    assert!(
        page.has("ask one of its admins to close it"),
        "{}",
        page.body
    );
    let mut ana = w.browser(w.ana).await;
    let member = ana
        .get(&format!("/s/harbour/admin/members/{}", w.dan.member))
        .await;
    assert!(member.has("Close Dan's membership"), "{}", member.body);
    let closed = ana
        .post(
            &format!("/s/harbour/admin/members/{}/leave", w.dan.member),
            &[],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert_eq!(account_of(&w, w.dan.member).await, (0, true));
    assert_eq!(status_of(&w, w.dan.member).await, "left");
    let gone = dan.post("/account/delete", &[("password", PASSWORD)]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    w.verified().await;
}

/// A payment into the account racing the admin's confirmation: it lands first (and is
/// settled, or the confirmation finds the balance moved and does nothing), or it finds the
/// account closed. Never a closed account holding credits, never credits lost.
#[tokio::test]
async fn a_payment_racing_the_close_lands_first_or_is_refused() {
    let w = World::new().await;
    w.grant(w.bea, 100_000).await;
    let bea = ledger_db::member_account(&w.app.db, w.space, w.bea.member)
        .await
        .unwrap()
        .unwrap();
    let (mut left_count, mut refused, mut changed) = (0, 0, 0);
    for round in 0..25 {
        let email: &'static str = Box::leak(format!("m{round}@example.org").into_boxed_str());
        let (_, member) = w
            .app
            .member(w.space, email, Role::Member, Status::Active)
            .await;
        let account = ledger_db::member_account(&w.app.db, w.space, member)
            .await
            .unwrap()
            .unwrap();
        let mut conn = w.app.db.acquire().await.unwrap();
        let someone = Actor {
            space: w.space,
            person: w.ana.person,
            ip: None,
        };
        leaving::ask(&mut conn, someone, member).await.unwrap();
        drop(conn);
        let db = w.app.db.clone();
        let (space, ana) = (w.space, actor(&w, w.ana));
        let admin = w.ana.member;
        let confirm = tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            let left = leaving::confirm(&mut tx, ana, admin, member).await.unwrap();
            if matches!(left, Left::Done { .. }) {
                tx.commit().await.unwrap();
            }
            left
        });
        let db = w.app.db.clone();
        let pay = tokio::spawn(async move {
            let payment = Payment {
                id: ledger::new_id(),
                space,
                from: bea,
                to: account,
                amount: 100,
                code: Code::Gift,
                memo: "",
                by: None,
            };
            ledger::transfer(&db, &payment).await.unwrap()
        });
        let (left, paid) = (confirm.await.unwrap(), pay.await.unwrap());
        let (balance, closed) = account_of(&w, member).await;
        match (&left, &paid) {
            (Left::Done { .. }, Outcome::Applied(_)) => {
                left_count += 1;
                assert_eq!((balance, closed), (0, true), "round {round}");
            }
            (Left::Done { .. }, Outcome::Rejected(Reason::AccountClosed)) => {
                refused += 1;
                assert_eq!((balance, closed), (0, true), "round {round}");
            }
            (Left::Changed, Outcome::Applied(_)) => {
                changed += 1;
                assert_eq!((balance, closed), (100, false), "round {round}");
            }
            other => panic!("round {round}: {other:?}"),
        }
    }
    eprintln!(
        "settled with the payment {left_count}, payment refused {refused}, moved meanwhile {changed}"
    );
    w.verified().await;
}

#[tokio::test]
async fn deleting_an_account_erases_the_person_and_keeps_the_history() {
    let w = World::new().await;
    w.grant(w.dan, 200).await;
    let mut dan = w.browser(w.dan).await;
    let mut ana = w.browser(w.ana).await;
    assert_eq!(
        ana.get("/s/harbour/admin/overview").await.status,
        StatusCode::OK
    );
    assert_eq!(
        w.app.count("select count(*) from overview_snapshots").await,
        1
    );
    // Still in a space: the page says which to leave, and the form is refused.
    let page = dan.get("/account/delete").await;
    assert!(page.has("/s/harbour/leave"));
    let refused = dan.post("/account/delete", &[("password", PASSWORD)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("Leave every space first"));

    dan.post("/s/harbour/leave", &[]).await;
    ana.post(
        &format!("/s/harbour/admin/members/{}/leave", w.dan.member),
        &[],
    )
    .await;
    let wrong = dan
        .post("/account/delete", &[("password", "not the password")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let gone = dan.post("/account/delete", &[("password", PASSWORD)]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    let (name, email, hash): (String, String, Option<String>) =
        sqlx::query_as("select display_name, email, password_hash from people where id = $1")
            .bind(w.dan.person.0)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert_eq!(name, "Former member");
    assert!(email.ends_with("@deleted.invalid"), "{email}");
    assert_eq!(hash, None);
    let sessions: i64 = sqlx::query_scalar("select count(*) from sessions where person_id = $1")
        .bind(w.dan.person.0)
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    let mails: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where lower(to_address) = 'dan@example.org'",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!(mails, 0);
    // No kept overview of the space names them any more.
    assert_eq!(
        w.app.count("select count(*) from overview_snapshots").await,
        0
    );
    // The ledger's history names them "Former member".
    let statement = ana.get("/s/harbour/admin/ledger").await;
    assert!(statement.has("Former member"), "{}", statement.body);
    // Nobody signs in as them any more.
    let mut again = w.app.browser();
    again.get("/signin").await;
    let signin = again
        .post(
            "/signin",
            &[
                ("email", w.dan.email),
                ("password", PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_ne!(signin.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .count("select count(*) from audit_log where action = 'account.deleted'")
            .await,
        1
    );
}
