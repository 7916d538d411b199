//! `swapdesk admin create` and the demo seed.

use swapdesk::cli::create_admin;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::{PASSWORD, TestApp};

/// `swapdesk admin create` for Boss, with `password`.
async fn create_boss(
    app: &TestApp,
    slug: &str,
    name: Option<&str>,
    password: &str,
) -> anyhow::Result<()> {
    create_admin(&app.db, slug, name, "boss@example.org", "Boss", password).await
}

#[tokio::test]
async fn admin_create_makes_the_space_and_its_first_admin() {
    let app = TestApp::new().await;
    create_boss(&app, "grind", Some("The Grind"), PASSWORD)
        .await
        .unwrap();
    let (name, role, status): (String, String, String) = sqlx::query_as(
        "select s.name, m.role, m.status from memberships m join spaces s on s.id = m.space_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), role.as_str(), status.as_str()),
        ("The Grind", "admin", "active")
    );
    let mut browser = app.signed_in("boss@example.org").await;
    assert!(browser.get("/s/grind/admin").await.has("Applications"));
}

#[tokio::test]
async fn admin_create_makes_an_existing_person_with_their_password_admin_of_another_space() {
    let app = TestApp::new().await;
    create_boss(&app, "grind", Some("The Grind"), PASSWORD)
        .await
        .unwrap();
    create_boss(&app, "second", None, PASSWORD).await.unwrap();
    assert_eq!(
        app.count("select count(*) from memberships where role = 'admin'")
            .await,
        2
    );
}

#[tokio::test]
async fn admin_create_refuses_an_existing_person_with_another_password() {
    let app = TestApp::new().await;
    create_boss(&app, "grind", Some("The Grind"), PASSWORD)
        .await
        .unwrap();
    let err = create_boss(&app, "third", None, "some other long password")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not its password"));
}

async fn assert_nothing_made(app: &TestApp) {
    assert_eq!(app.count("select count(*) from spaces").await, 0);
    assert_eq!(app.count("select count(*) from people").await, 0);
}

#[tokio::test]
async fn admin_create_refuses_a_weak_password() {
    let app = TestApp::new().await;
    let weak = create_boss(&app, "grind", None, "password1234").await;
    assert!(weak.unwrap_err().to_string().contains("too common"));
    assert_nothing_made(&app).await;
}

#[tokio::test]
async fn admin_create_refuses_a_bad_slug() {
    let app = TestApp::new().await;
    let slug = create_boss(&app, "Bad Slug", None, PASSWORD).await;
    assert!(slug.is_err());
    assert_nothing_made(&app).await;
}

const DEMO_TABLES: [&str; 16] = [
    "people",
    "memberships",
    "skills",
    "skill_categories",
    "ledger_transfers",
    "ledger_entries",
    "listings",
    "trades",
    "trade_events",
    "trade_messages",
    "kudos",
    "ledger_rejections",
    "rooms",
    "room_hours",
    "bookings",
    "notifications",
];

async fn demo_counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in DEMO_TABLES {
        counts.push(app.count(&format!("select count(*) from {table}")).await);
    }
    counts
}

#[tokio::test]
async fn the_demo_seed_makes_a_living_space() {
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    let counts = demo_counts(&app).await;
    // 40 active members and 2 applicants; 159 skills in 8 categories; three weeks of credits.
    assert_eq!(
        app.count("select count(*) from memberships where status = 'active'")
            .await,
        40
    );
    assert_eq!(
        app.count("select count(*) from memberships where status = 'pending'")
            .await,
        2
    );
    assert_eq!(counts[0], 42);
    assert_eq!(counts[2], 159);
    assert_eq!(counts[3], 8);
    assert!(counts[4] > 40, "credit history: {}", counts[4]);
}

#[tokio::test]
async fn the_demo_marketplace_has_listings_in_every_category_and_trades_in_every_state() {
    let app = TestApp::new().await;
    // As `swapdesk demo` does: with the app's own role, not the schema's owner.
    swapdesk::demo::seed(&app.state.db).await.unwrap();
    let listings = app.count("select count(*) from listings").await;
    assert!((55..=70).contains(&listings), "{listings} listings");
    let categories = "select count(distinct category_id) from listings where kind = $1";
    for kind in ["offer", "request"] {
        let used: i64 = sqlx::query_scalar(categories)
            .bind(kind)
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert!(used >= 7, "{kind}s in {used} categories");
    }
    for (what, sql) in [
        (
            "paused listings",
            "select count(*) from listings where status = 'paused'",
        ),
        (
            "closed listings",
            "select count(*) from listings where status = 'closed'",
        ),
        (
            "expiring listings",
            "select count(*) from listings where expires_at > now()",
        ),
        (
            "hourly prices",
            "select count(*) from listings where price_mode = 'hourly'",
        ),
        (
            "counter-proposals",
            "select count(*) from trade_events where kind = 'countered'",
        ),
        ("messages", "select count(*) from trade_messages"),
        ("kudos", "select count(*) from kudos"),
    ] {
        assert!(app.count(sql).await > 0, "no {what}");
    }
    let states: Vec<String> =
        sqlx::query_scalar("select distinct state from trades order by state")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(
        states,
        [
            "accepted",
            "cancelled",
            "completed",
            "declined",
            "delivered",
            "disputed",
            "proposed",
            "resolved"
        ]
    );
    // Spread over the last weeks, never in the future.
    assert!(
        app.count("select extract(day from now() - min(created_at))::bigint from trades")
            .await
            >= 14
    );
    assert_eq!(
        app.count("select count(*) from trade_events where created_at > now()")
            .await,
        0
    );
    // Every hold belongs to a trade that is still under way: none is left orphaned.
    assert_eq!(
        app.count(
            "select count(*) from ledger_open_holds h where not exists (
                 select 1 from trades t where t.hold_id = h.transfer_id
                   and t.state in ('accepted', 'delivered', 'disputed'))"
        )
        .await,
        0
    );
    assert_eq!(
        app.count("select count(*) from ledger_open_holds").await,
        app.count(
            "select count(*) from trades where state in ('accepted', 'delivered', 'disputed')"
        )
        .await
    );
    let report = swapdesk::ledger::verify(&app.db, None).await.unwrap();
    assert!(report.ok(), "{}", report.text());
}

#[tokio::test]
async fn demo_members_see_their_trades_and_the_admin_sees_the_disputes() {
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    let mut jonas = app.browser();
    jonas
        .sign_in("jonas@harbour.example", swapdesk::demo::PASSWORD)
        .await;
    let market = jonas.get("/s/demo/market?q=desgin").await;
    assert!(market.has("Logo and small brand kit"), "{}", market.body);
    let trades = jonas.get("/s/demo/trades").await;
    assert!(trades.has("Logo for Becker Accounting"));
    let id: i64 = sqlx::query_scalar(
        "select id from trades where description like 'Logo for Becker Accounting%'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let trade = jonas.get(&format!("/s/demo/trades/{id}")).await;
    assert!(trade.has("Second one for me too"));
    assert!(trade.has("Completed"));
    let mut maya = app.browser();
    maya.sign_in(swapdesk::demo::ADMIN_EMAIL, swapdesk::demo::PASSWORD)
        .await;
    let disputed: Vec<i64> = sqlx::query_scalar("select id from trades where state = 'disputed'")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(disputed.len(), 2);
    for id in disputed {
        let page = maya.get(&format!("/s/demo/trades/{id}")).await;
        assert!(page.has("How is it settled?"), "{}", page.body);
    }
}

#[tokio::test]
async fn the_demo_has_three_rooms_and_a_week_of_bookings_paid_on_the_ledger() {
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.state.db).await.unwrap();
    assert_eq!(app.count("select count(*) from rooms").await, 3);
    let bookings = app.count("select count(*) from bookings").await;
    assert!(bookings >= 20, "{bookings} bookings");
    // Each paid booking is one transfer under the booking's own id; the phone booth is free.
    assert_eq!(
        app.count(
            "select count(*) from bookings b join ledger_transfers t on t.id = b.id
             where t.code = 'booking' and t.amount = b.price"
        )
        .await,
        app.count("select count(*) from bookings where price > 0")
            .await
    );
    assert!(
        app.count("select count(*) from bookings where price = 0")
            .await
            > 0
    );
    assert!(
        app.count("select count(*) from bookings where upper(period) < now()")
            .await
            > 0
    );
    assert!(
        app.count("select count(*) from bookings where lower(period) > now()")
            .await
            > 0
    );
    let report = swapdesk::ledger::verify(&app.db, None).await.unwrap();
    assert!(report.ok(), "{}", report.text());
}

#[tokio::test]
async fn seeding_the_demo_twice_changes_nothing() {
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    let counts = demo_counts(&app).await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    for (table, before) in DEMO_TABLES.iter().zip(&counts) {
        let after = app.count(&format!("select count(*) from {table}")).await;
        assert_eq!(after, *before, "seeding twice changed {table}");
    }
}

#[tokio::test]
async fn the_demo_admin_signs_in_with_the_published_password() {
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    let mut browser = app.browser();
    browser
        .sign_in(swapdesk::demo::ADMIN_EMAIL, swapdesk::demo::PASSWORD)
        .await;
    let admin = browser.get("/s/demo/admin/applications").await;
    assert!(admin.has("Grace Adeyemi"));
}

#[tokio::test]
async fn ledger_verify_exits_non_zero_when_an_invariant_breaks() {
    use clap::Parser;
    use std::process::ExitCode;
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    let run = |url: String| async move {
        let cli = swapdesk::config::Cli::parse_from([
            "swapdesk",
            "--database-url",
            &url,
            "ledger",
            "verify",
            "--space",
            "demo",
        ]);
        swapdesk::cli::run(cli).await.unwrap()
    };
    assert_eq!(run(app.url.clone()).await, ExitCode::SUCCESS);
    // Someone with database access tampers with a balance behind the ledger's back.
    sqlx::query("alter table ledger_accounts drop constraint ledger_accounts_within_limit")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("update ledger_accounts set credits_posted = credits_posted + 100 where id = (select min(id) from ledger_accounts where kind = 'member')")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(run(app.url.clone()).await, ExitCode::FAILURE);
    let report = swapdesk::ledger::verify(&app.db, None).await.unwrap();
    let failed: Vec<u8> = report
        .checks
        .iter()
        .filter(|c| !c.ok())
        .map(|c| c.invariant)
        .collect();
    assert!(failed.contains(&1) && failed.contains(&3), "{failed:?}");
}

#[tokio::test]
async fn the_demo_refuses_to_touch_a_space_it_did_not_make() {
    let app = TestApp::new().await;
    let space = app.space("demo", SignupMode::Invite).await;
    app.member(space, "owner@live.example", Role::Admin, Status::Active)
        .await;
    let before = app.count("select count(*) from people").await;
    let err = swapdesk::demo::seed(&app.db).await.unwrap_err();
    assert!(err.to_string().contains("did not make it"), "{err}");
    assert_eq!(app.count("select count(*) from people").await, before);
    assert_eq!(app.count("select count(*) from memberships").await, 1);
    assert_eq!(
        app.count("select count(*) from people where email like '%@harbour.example'")
            .await,
        0
    );
}

#[tokio::test]
async fn browsing_the_demo_marketplace_pages_through_every_open_listing_in_order() {
    let app = TestApp::new().await;
    swapdesk::demo::seed(&app.db).await.unwrap();
    // The plain reading of SPEC §3.1: open listings of active members, cheapest or newest
    // first, ties broken by the newest; marketplace_search reads them through its indexes.
    let reference = "select array_agg(l.id order by
             case when $1 = 'price' then listing_total_price(l.price_mode, l.price, l.hours_estimate) end,
             l.created_at desc, l.id desc)
         from listings l join memberships m on m.id = l.membership_id
         where l.status = 'open' and m.status = 'active' and ($2::text is null or l.kind = $2)
           and ($3::bigint is null or listing_total_price(l.price_mode, l.price, l.hours_estimate) >= $3)";
    let paged = "select array_agg(listing_id order by n), max(total)
         from generate_series(0, 4) p,
              marketplace_search((select id from spaces where slug = 'demo'), '', false, $2, null,
                                 $3, null, false, $1, 15, p * 15) with ordinality r(listing_id,
                                 membership_id, display_name, kind, title, category, price_mode,
                                 price, hours_estimate, total_price, created_at, here_today, rank,
                                 total, corrected, fallback, i)
              cross join lateral (select p * 100 + i as n) o";
    for sort in ["newest", "price"] {
        for (kind, min) in [(None, None), (Some("offer"), None), (None, Some(400_i64))] {
            let expected: Vec<i64> = sqlx::query_scalar(reference)
                .bind(sort)
                .bind(kind)
                .bind(min)
                .fetch_one(&app.db)
                .await
                .unwrap();
            let (pages, total): (Vec<i64>, i64) = sqlx::query_as(paged)
                .bind(sort)
                .bind(kind)
                .bind(min)
                .fetch_one(&app.db)
                .await
                .unwrap();
            assert_eq!(pages, expected, "{sort} {kind:?} {min:?}");
            assert_eq!(total, expected.len() as i64);
        }
    }
}
