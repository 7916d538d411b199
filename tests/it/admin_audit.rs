//! The audit log (SPEC §6.7), the ledger's CSV (§6.5) and the settings (§6.8): filters,
//! pages, the security events of the space's members, downloads whose cells no spreadsheet
//! runs as formulas, and a settings save that works.

use axum::http::StatusCode;
use swapdesk::admin::members::service::{self, Change};
use swapdesk::audit::Actor;
use swapdesk::ledger::money::format_number;

use crate::trades::World;

async fn suspend_cy(w: &World, reason: &str) {
    let actor = Actor {
        space: w.space,
        person: w.ana.person,
        ip: None,
    };
    let mut tx = w.app.db.begin().await.unwrap();
    service::change(
        &mut tx,
        actor,
        w.ana.member,
        w.cy.member,
        Change::Suspend,
        reason,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_log_shows_actions_and_members_failed_sign_ins_and_filters_them() {
    let w = World::new().await;
    suspend_cy(&w, "Unpaid desk rent").await;
    let mut ana = w.browser(w.ana).await;
    let mut bea = w.browser(w.bea).await;
    // A failed sign-in with Bea's address belongs to no space, but is hers; a stranger's
    // address is nobody's here.
    let mut door = w.app.browser();
    door.get("/signin").await;
    for email in ["bea@example.org", "nobody@example.org"] {
        let fields = [("email", email), ("password", "not the password at all")];
        let refused = door.post("/signin", &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let log = ana.get("/s/harbour/admin/audit").await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(
        log.has("member.suspended") && log.has("Unpaid desk rent"),
        "{}",
        log.body
    );
    assert!(log.has("signin.failed") && log.has("bea@example.org"));
    assert!(!log.has("nobody@example.org"));
    // Newest first: the sign-in failure came after the suspension.
    let table = &log.body[log.body.find("<tbody>").unwrap()..];
    assert!(table.find("signin.failed").unwrap() < table.find("member.suspended").unwrap());

    let only = ana
        .get("/s/harbour/admin/audit?what=member.suspended")
        .await;
    assert!(only.has("Unpaid desk rent") && !only.has("bea@example.org"));
    let by_bea = ana
        .get(&format!("/s/harbour/admin/audit?who={}", w.bea.person.0))
        .await;
    assert!(by_bea.has("signin.failed") && !by_bea.has("Unpaid desk rent"));
    let tomorrow = w.today().await + time::Duration::days(1);
    let later = ana
        .get(&format!("/s/harbour/admin/audit?from={tomorrow}"))
        .await;
    assert!(later.has("No events match"));
    let bad = ana.get("/s/harbour/admin/audit?from=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("Enter a date like 2026-11-01"));
    // Members never read it.
    assert_eq!(
        bea.get("/s/harbour/admin/audit").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        bea.get("/s/harbour/admin/audit.csv").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_csv_downloads_keep_the_filters_and_guard_formulas() {
    let w = World::new().await;
    // An admin whose name a spreadsheet would run.
    sqlx::query("update people set display_name = '=SUM(A1)' where id = $1")
        .bind(w.ana.person.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    suspend_cy(&w, "Unpaid desk rent").await;
    let mut ana = w.browser(w.ana).await;
    let csv = ana
        .get("/s/harbour/admin/audit.csv?what=member.suspended")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next().unwrap(),
        "When,Who,Action,Subject,Detail,IP address"
    );
    let line = lines.next().unwrap();
    assert!(line.contains("member.suspended"), "{line}");
    assert!(
        line.contains(",'=SUM(A1),"),
        "the name is kept as text: {line}"
    );
    assert!(lines.next().is_none(), "only the filtered event");

    // The ledger's CSV: the grant, and the filters kept.
    w.grant(w.bea, 250).await;
    let ledger = ana.get("/s/harbour/admin/ledger.csv").await;
    assert_eq!(ledger.status, StatusCode::OK);
    assert!(
        ledger
            .body
            .starts_with("When,Reason,Kind,From,To,Amount,Message,Transfer")
    );
    assert!(ledger.body.contains(&format_number(250)), "{}", ledger.body);
    assert!(ledger.body.contains("The space,Bea"), "{}", ledger.body);
    let filtered = ana.get("/s/harbour/admin/ledger.csv?kind=gift").await;
    assert_eq!(filtered.body.lines().count(), 1, "a header and no gifts");
}

#[tokio::test]
async fn the_settings_page_saves_names_colours_and_limits_and_refuses_others() {
    let w = World::new().await;
    let mut ana = w.browser(w.ana).await;
    let fields = |currency: &'static str, accent: &'static str| {
        vec![
            ("name", "Harbour Works"),
            ("time_zone", "Europe/Lisbon"),
            ("signup_mode", "approval"),
            ("auto_complete_days", "5"),
            ("cancel_cutoff_hours", "12"),
            ("currency_name", currency),
            ("accent_colour", accent),
            ("default_credit_limit", "15"),
            ("space_limit", "1000"),
        ]
    };
    let refused = ana
        .post("/s/harbour/admin/settings", &fields("", "neon"))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("href=\"#currency_name\"") && refused.has("href=\"#accent_colour\""));
    assert!(
        refused.has("value=\"Europe/Lisbon\""),
        "the form keeps the rest"
    );
    let saved = ana
        .post("/s/harbour/admin/settings", &fields("favours", "plum"))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let home = ana.get("/s/harbour/credits").await;
    assert!(home.has("class=\"accent-plum\""), "the space's colour");
    assert!(
        home.has(" favours"),
        "amounts in the new name: {}",
        home.body
    );
    let detail: String = sqlx::query_scalar(
        "select detail::text from audit_log where action = 'space.settings_changed'",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert!(detail.contains("\"accent_colour\": \"plum\"") && detail.contains("favours"));
    let (default, space): (i64, i64) = sqlx::query_as(
        "select s.default_credit_limit, a.credit_limit from spaces s
         join ledger_accounts a on a.space_id = s.id and a.code = 'space'",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_eq!((default, space), (1500, 100_000));
}
