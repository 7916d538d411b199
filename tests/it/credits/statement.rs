//! "My credits": the balances, the chart, and the statement with its filters, pages and CSV.

use axum::http::StatusCode;
use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::{AccountId, Code};
use swapdesk::ledger::{self, Payment};

use super::{World, world};

#[tokio::test]
async fn the_credits_page_shows_the_balances_and_a_chart_with_a_text_alternative() {
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
}

#[tokio::test]
async fn on_a_phone_each_statement_cell_says_what_it_is() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let page = ana.get("/s/harbour/credits").await;
    for label in ["When", "What", "With", "Amount", "Balance"] {
        assert!(page.has(&format!("<td data-label=\"{label}\"")), "{label}");
    }
    // Under 40rem the table turns into blocks and its header is out of sight: the
    // stylesheet puts each cell's label before it.
    let css = ana.get("/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.body
            .contains("td[data-label]::before { content: attr(data-label)")
    );
}

#[tokio::test]
async fn a_statement_of_one_line_says_line_not_lines() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let page = ana.get("/s/harbour/credits").await;
    assert!(page.has("Page 1 of 1 (1 line)"), "{}", page.body);
    assert!(!page.has("1 lines"));
}

#[tokio::test]
async fn a_statement_filter_with_no_matches_says_what_to_try() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    // No gifts yet, only the welcome grant.
    let gifts = ana.get("/s/harbour/credits?kind=gift").await;
    assert!(gifts.has("match these filters"));
}

#[tokio::test]
async fn bad_statement_filters_are_refused_with_their_reasons() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let bad = ana
        .get("/s/harbour/credits?from=yesterday&kind=bribe")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("Enter the start date as a date") && bad.has("Choose a kind from the list"));
}

#[tokio::test]
async fn the_statement_downloads_as_csv() {
    let w = world().await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let csv = ana.get("/s/harbour/credits/statement.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("time (UTC),type,what happened,with,message,amount (hours)"));
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains(",Grant,Paid,The space,Welcome,10.00,0.00,10.00,"));
}

#[tokio::test]
async fn the_csv_names_its_columns_for_what_they_hold_and_lists_the_newest_first_in_local_time() {
    let w = world().await;
    thirty_gifts(&w).await;
    sqlx::query("update spaces set time_zone = 'Asia/Kolkata' where slug = 'harbour'")
        .execute(&w.app.db)
        .await
        .unwrap();
    let newest: String = sqlx::query_scalar(
        "select to_char(created_at at time zone 'Asia/Kolkata', 'YYYY-MM-DD HH24:MI:SS')
         from ledger_transfers order by created_at desc limit 1",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    let mut ana = w.app.signed_in("ana@example.org").await;
    let csv = ana.get("/s/harbour/credits/statement.csv").await;
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines[0],
        "time (Asia/Kolkata),type,what happened,with,message,amount (hours),\
         change in held (hours),balance after (hours),transfer id"
    );
    assert_eq!(lines.len(), 32);
    assert!(
        lines[1].starts_with(&format!("{newest},Gift,Paid,Bea,thanks,-0.10,0.00,7.00,")),
        "the newest first, on the space's clock to the second: {}",
        lines[1]
    );
    assert!(
        lines[31].contains(",Grant,Paid,The space,Welcome,10.00,0.00,10.00,"),
        "the oldest last: {}",
        lines[31]
    );
    let page = ana.get("/s/harbour/credits").await;
    assert!(
        page.has(&newest[..16]),
        "the page shows the same local time"
    );
}

#[tokio::test]
async fn statement_days_are_the_spaces_days() {
    let w = world().await;
    // A zone whose date differs from UTC's right now: 14 hours ahead late in the UTC day,
    // 12 hours behind early in it, for the moment of Ana's welcome grant.
    let utc_hour: f64 = sqlx::query_scalar(
        "select extract(hour from created_at at time zone 'UTC')::float8 from ledger_transfers",
    )
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    let zone = if utc_hour >= 10.0 {
        "Pacific/Kiritimati"
    } else {
        "Etc/GMT+12"
    };
    sqlx::query("update spaces set time_zone = $1 where slug = 'harbour'")
        .bind(zone)
        .execute(&w.app.db)
        .await
        .unwrap();
    let (local_day, utc_day): (String, String) = sqlx::query_as(
        "select to_char(created_at at time zone $1, 'YYYY-MM-DD'),
                to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')
         from ledger_transfers",
    )
    .bind(zone)
    .fetch_one(&w.app.db)
    .await
    .unwrap();
    assert_ne!(local_day, utc_day);
    let mut ana = w.app.signed_in("ana@example.org").await;
    let that_day = ana
        .get(&format!(
            "/s/harbour/credits?from={local_day}&to={local_day}"
        ))
        .await;
    assert!(that_day.has("Welcome"), "the grant is on its local day");
    let csv = ana
        .get(&format!(
            "/s/harbour/credits/statement.csv?from={local_day}&to={local_day}"
        ))
        .await;
    assert_eq!(csv.body.lines().count(), 2);
    let utc = ana
        .get(&format!("/s/harbour/credits?from={utc_day}&to={utc_day}"))
        .await;
    assert!(
        utc.has("match these filters"),
        "UTC's day is not the space's"
    );
}

/// Thirty gifts of 0.10 from Ana to Bea, the first with a memo that is a spreadsheet formula.
async fn thirty_gifts(w: &World) {
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
            from: AccountId(ana_account),
            to: bea_account,
            amount: 10,
            code: Code::Gift,
            memo,
            by: None,
        };
        ledger::transfer(&w.app.db, &gift).await.unwrap();
    }
}

#[tokio::test]
async fn the_statement_pages_with_a_running_balance() {
    let w = world().await;
    thirty_gifts(&w).await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let first = ana.get("/s/harbour/credits").await;
    assert!(first.has("Page 1 of 2 (31 lines)"));
    assert!(
        first.has("<td data-label=\"Balance\" class=\"amount\">7.00 hours</td>"),
        "newest running balance first"
    );
    let second = ana.get("/s/harbour/credits?page=2").await;
    assert!(second.has("Page 2 of 2"));
    assert!(first.title().starts_with("My credits ·"));
    assert!(second.title().starts_with("My credits, page 2 ·"));
    assert!(second.has("10.00 hours") && second.has("Welcome"));
    let beyond = ana.get("/s/harbour/credits?page=99").await;
    assert!(
        beyond.has("Page 2 of 2"),
        "a page past the end shows the last"
    );
}

#[tokio::test]
async fn csv_cells_cannot_be_formulas() {
    let w = world().await;
    thirty_gifts(&w).await;
    let mut ana = w.app.signed_in("ana@example.org").await;
    let csv = ana.get("/s/harbour/credits/statement.csv?kind=gift").await;
    assert_eq!(csv.body.lines().count(), 31);
    assert!(
        csv.body.contains("'=HYPERLINK"),
        "formula cells are defused"
    );
}
