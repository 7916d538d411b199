//! "My credits", "Send credits" and the admin ledger pages, through HTTP.

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

#[tokio::test]
async fn a_member_sends_a_gift_after_a_confirmation_step_and_a_double_submit_pays_once() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let check = review(&mut ana, w.bea, "2.5", "Thanks for the logo!").await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.has("Send 2.50 hours to Bea"));
    assert_eq!(
        transfers(&w.app).await,
        0,
        "nothing moves before the confirmation"
    );

    let fields = [
        ("id", hidden(&check, "id")),
        ("to", hidden(&check, "to")),
        ("amount", hidden(&check, "amount")),
        ("memo", hidden(&check, "memo")),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = ana.post("/s/harbour/credits/send/confirm", &fields).await;
    assert_eq!(done.location(), "/s/harbour/credits");
    let again = ana.post("/s/harbour/credits/send/confirm", &fields).await;
    assert_eq!(
        again.location(),
        "/s/harbour/credits",
        "a double submit lands in the same place"
    );
    assert_eq!(transfers(&w.app).await, 1, "and pays once");

    let page = ana.get("/s/harbour/credits").await;
    assert!(page.has("Your credits are on their way"));
    assert!(page.has("<dd>7.50 hours</dd>"), "balance after the gift");
    assert!(page.has("Thanks for the logo!"));
    let mut bea = w.app.signed_in("bea@example.org").await;
    let hers = bea.get("/s/harbour/credits").await;
    assert!(hers.has("+2.50 hours") && hers.has("Ana"));
}

#[tokio::test]
async fn refusals_are_clear_and_write_nothing() {
    let w = world().await;
    sqlx::query("update memberships set status = 'suspended' where id = $1")
        .bind(w.cy.0)
        .execute(&w.app.db)
        .await
        .unwrap();
    let ana_membership: i64 = sqlx::query_scalar(
        "select m.id from memberships m join people p on p.id = m.person_id where p.email = 'ana@example.org'",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    let olga: i64 = sqlx::query_scalar(
        "select m.id from memberships m join people p on p.id = m.person_id where p.email = 'olga@example.org'",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    let mut ana = w.app.signed_in("ana@example.org").await;
    let cases: Vec<(MembershipId, &str, &str)> = vec![
        (
            w.bea,
            "30.01",
            "That is over your limit: you can send at most 30.00 hours",
        ),
        (
            w.cy,
            "1",
            "cannot receive credits while their membership is suspended",
        ),
        (
            MembershipId(ana_membership),
            "1",
            "You cannot send credits to yourself",
        ),
        (
            MembershipId(olga),
            "1",
            "Choose a member of this space from the list",
        ),
        (
            MembershipId(999_999),
            "1",
            "Choose a member of this space from the list",
        ),
        (w.bea, "abc", "Enter the amount as a number"),
        (w.bea, "-1", "Enter an amount above zero"),
        (w.bea, "1.234", "Use at most two decimal places"),
        (w.bea, "99999999999", "Enter an amount of at most 1,000,000"),
        (w.bea, "", "Enter an amount"),
    ];
    for (to, amount, message) in cases {
        let page = review(&mut ana, to, amount, "memo kept").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{amount}");
        assert!(page.has(message), "{amount}: expected {message:?}");
        assert!(page.has("memo kept"), "the form is refilled");
    }
    let long_memo = "m".repeat(201);
    let page = review(&mut ana, w.bea, "1", &long_memo).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has("Memo must be 200 characters or fewer"));
    // The confirm step re-checks everything: a forged over-limit confirmation is refused.
    let form = ana.get("/s/harbour/credits/send").await;
    let id = hidden(&form, "id");
    let bea = w.bea.0.to_string();
    let forged = ana
        .post(
            "/s/harbour/credits/send/confirm",
            &[("to", &bea), ("amount", "31"), ("memo", ""), ("id", &id)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(forged.has("over your limit"));
    // So does a confirmation naming a suspended member, another space's member, or oneself.
    for (to, message) in [
        (
            w.cy.0,
            "cannot receive credits while their membership is suspended",
        ),
        (olga, "Choose a member of this space from the list"),
        (ana_membership, "You cannot send credits to yourself"),
    ] {
        let form = ana.get("/s/harbour/credits/send").await;
        let id = hidden(&form, "id");
        let to = to.to_string();
        let page = ana
            .post(
                "/s/harbour/credits/send/confirm",
                &[("to", &to), ("amount", "1"), ("memo", ""), ("id", &id)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(page.has(message), "{message}");
    }
    assert_eq!(transfers(&w.app).await, 0);
    assert_eq!(
        w.app.count("select count(*) from ledger_rejections").await,
        1,
        "only the over-limit attempt is a ledger refusal"
    );
}

#[tokio::test]
async fn sending_needs_csrf_and_membership() {
    let w = world().await;
    let bea = w.bea.0.to_string();
    let fields = [
        ("to", bea.as_str()),
        ("amount", "1"),
        ("memo", ""),
        ("id", "0190b5a4-5c5e-7000-8000-000000000001"),
    ];
    let mut ana = w.app.signed_in("ana@example.org").await;
    let no_token = ana
        .post_raw(
            "/s/harbour/credits/send/confirm",
            &crate::helpers::encode(&fields),
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);

    w.app.person("stranger@example.org", "Stranger").await;
    for email in ["stranger@example.org", "olga@example.org"] {
        let mut outsider = w.app.signed_in(email).await;
        for path in [
            "/s/harbour/credits",
            "/s/harbour/credits/send",
            "/s/harbour/credits/statement.csv",
        ] {
            assert_eq!(
                outsider.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{email} {path}"
            );
        }
        let page = outsider
            .post("/s/harbour/credits/send/confirm", &fields)
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
    }
    let mut anonymous = w.app.browser();
    assert_eq!(
        anonymous.get("/s/harbour/credits").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(transfers(&w.app).await, 0);
}

#[tokio::test]
async fn the_credits_page_has_a_chart_with_a_text_alternative_a_filtered_statement_and_csv() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let page = ana.get("/s/harbour/credits").await;
    assert_eq!(page.status, StatusCode::OK);
    for needle in [
        "<dt>Balance</dt><dd>10.00 hours</dd>",
        "<dt>Credit limit</dt><dd>20.00 hours</dd>",
        "<dt>Available to spend</dt><dd>30.00 hours</dd>",
        "<title id=\"chart-title\">",
        "<desc id=\"chart-desc\">",
        "Show the numbers as a table",
        "Grant: Paid",
        "Welcome",
    ] {
        assert!(page.has(needle), "missing {needle}");
    }
    // Filter by kind: no gifts yet, and the empty state says what to try.
    let gifts = ana.get("/s/harbour/credits?kind=gift").await;
    assert!(gifts.has("match these filters"));
    let bad = ana
        .get("/s/harbour/credits?from=yesterday&kind=bribe")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("Enter the start date as a date") && bad.has("Choose a kind from the list"));

    let csv = ana.get("/s/harbour/credits/statement.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("date,kind,reason,with,memo,amount (hours)"));
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains(",10.00,0.00,10.00,"));
}

#[tokio::test]
async fn the_statement_pages_with_a_running_balance_and_csv_cells_cannot_be_formulas() {
    let w = world().await;
    let ana_account: i64 = sqlx::query_scalar(
        "select a.id from ledger_accounts a join memberships m on m.id = a.membership_id
         join people p on p.id = m.person_id where p.email = 'ana@example.org'",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    let bea_account = ledger_db::member_account(&w.app.db, w.space, w.bea)
        .await
        .unwrap()
        .unwrap();
    for i in 0..30 {
        let memo = if i == 0 {
            "=HYPERLINK(\"http://evil\")"
        } else {
            "thanks"
        };
        let gift = Payment {
            id: ledger::new_id(),
            space: w.space,
            from: swapdesk::ledger::model::AccountId(ana_account),
            to: bea_account,
            amount: 10,
            code: Code::Gift,
            memo,
            by: None,
        };
        ledger::transfer(&w.app.db, &gift).await.unwrap();
    }
    let mut ana = w.app.signed_in("ana@example.org").await;
    let first = ana.get("/s/harbour/credits").await;
    assert!(first.has("Page 1 of 2 (31 lines)"));
    assert!(
        first.has("<td class=\"amount\">7.00 hours</td>"),
        "newest running balance first"
    );
    let second = ana.get("/s/harbour/credits?page=2").await;
    assert!(second.has("Page 2 of 2"));
    assert!(second.has("10.00 hours") && second.has("Welcome"));
    let beyond = ana.get("/s/harbour/credits?page=99").await;
    assert!(
        beyond.has("Page 2 of 2"),
        "a page past the end shows the last"
    );
    let csv = ana.get("/s/harbour/credits/statement.csv?kind=gift").await;
    assert_eq!(csv.body.lines().count(), 31);
    assert!(
        csv.body.contains("'=HYPERLINK"),
        "formula cells are defused"
    );
}

#[tokio::test]
async fn admins_grant_set_limits_reverse_and_verify_and_each_is_audited() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let bea = w.bea.0.to_string();

    let form = ana.get("/s/harbour/admin/ledger/grant").await;
    let id = hidden(&form, "id");
    let bad = ana
        .post(
            "/s/harbour/admin/ledger/grant",
            &[
                ("member", &bea),
                ("amount", "zero"),
                ("memo", ""),
                ("id", &id),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("Say what the grant is for"));
    let done = ana
        .post(
            "/s/harbour/admin/ledger/grant",
            &[
                ("member", &bea),
                ("amount", "5"),
                ("memo", "Ran the lunch"),
                ("id", &id),
            ],
        )
        .await;
    assert_eq!(done.location(), "/s/harbour/admin/ledger");
    ana.post(
        "/s/harbour/admin/ledger/grant",
        &[
            ("member", &bea),
            ("amount", "5"),
            ("memo", "Ran the lunch"),
            ("id", &id),
        ],
    )
    .await;
    assert_eq!(
        w.app
            .count("select count(*) from ledger_transfers where memo = 'Ran the lunch'")
            .await,
        1
    );

    let list = ana.get("/s/harbour/admin/ledger?kind=grant").await;
    assert!(list.has("Ran the lunch") && list.has("Bea"));
    let filtered = ana
        .get(&format!("/s/harbour/admin/ledger?member={}", w.cy.0))
        .await;
    assert!(filtered.has("match these filters"));

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

    let grant_id: uuid::Uuid =
        sqlx::query_scalar("select id from ledger_transfers where memo = 'Ran the lunch'")
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    let path = format!("/s/harbour/admin/ledger/transfers/{grant_id}/reverse");
    let confirm = ana.get(&path).await;
    assert!(confirm.has("Reverse 5.00 hours from Bea to The space"));
    let rid = hidden(&confirm, "id");
    let no_reason = ana.post(&path, &[("reason", ""), ("id", &rid)]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reversed = ana
        .post(
            &path,
            &[("reason", "Granted twice by mistake"), ("id", &rid)],
        )
        .await;
    assert_eq!(reversed.status, StatusCode::SEE_OTHER, "{}", reversed.body);
    assert!(ana.get("/s/harbour/admin/ledger").await.has("Reversed"));

    let report = ana.post("/s/harbour/admin/ledger/verify", &[]).await;
    assert!(report.has("Every check passed"), "{}", report.body);

    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where action like 'ledger.%' order by id")
            .fetch_all(&w.app.db)
            .await
            .unwrap();
    assert_eq!(
        actions,
        [
            "ledger.grant",
            "ledger.limit_set",
            "ledger.default_limit_set",
            "ledger.reversal",
            "ledger.verify"
        ]
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
        let page = who
            .post(
                "/s/harbour/admin/ledger/grant",
                &[
                    ("member", &bea),
                    ("amount", "100"),
                    ("memo", "x"),
                    ("id", &ledger::new_id().to_string()),
                ],
            )
            .await;
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
