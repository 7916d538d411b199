//! The admin overview (SPEC §6.6) against a small history written by hand (`history`): each
//! figure, the network's SVG, who may see the page, and periods it does not offer.

mod history;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use swapdesk::admin::overview::{db, graph};
use swapdesk::spaces::model::{Role, SignupMode, Status};

use crate::helpers::Page;
use history::{History, at, history};

async fn overview(h: &History, query: &str) -> Page {
    let mut admin = h.app.signed_in("admin@example.org").await;
    admin
        .get(&format!("/s/harbour/admin/overview{query}"))
        .await
}

#[tokio::test]
async fn weekly_figures_count_on_the_spaces_clock() {
    let h = history().await;
    let weeks = db::weeks(&h.app.db, h.space, 4).await.unwrap();
    let monday = at(&h.app, 0, 12).await.date();
    assert_eq!(weeks.len(), 4);
    assert_eq!(
        weeks[3].week, monday,
        "the last week is this one, from Monday"
    );
    let got: Vec<_> = weeks
        .iter()
        .map(|w| {
            (
                w.members,
                w.new_members,
                w.active_traders,
                w.trades,
                w.credits,
            )
        })
        .collect();
    // (members, new members, active traders, trades completed, credits moved)
    assert_eq!(
        got,
        vec![
            (2, 0, 0, 0, 0),
            (2, 0, 0, 0, 5000),
            // The admin and Cy join; Ana gives Ben 10 (Pat's application is no member).
            (4, 2, 2, 0, 1000),
            // Dee joins and Cy's trade is paid at 00:30 on Monday in Berlin (Sunday in UTC);
            // the reversal of Ana's gift moves credits back but is not counted.
            (5, 1, 4, 2, 900),
        ]
    );
}

#[tokio::test]
async fn hot_spots_count_trades_and_listings_by_category_and_skill() {
    let h = history().await;
    let cats = db::categories(&h.app.db, h.space, 4).await.unwrap();
    let got: Vec<_> = cats
        .iter()
        .map(|c| (c.name.as_str(), c.trades, c.listings))
        .collect();
    assert_eq!(got, vec![("Design", 2, 1), ("Writing", 0, 1)]);
    let skills = db::skills(&h.app.db, h.space, 4, 8).await.unwrap();
    assert_eq!(skills.len(), 1, "{skills:?}");
    // Ana's and Cy's "Logo design" are one skill; Ana did both trades and made the offer.
    assert_eq!(skills[0].name.to_lowercase(), "logo design");
    assert_eq!((skills[0].trades, skills[0].listings), (2, 1));
}

#[tokio::test]
async fn balances_are_spread_in_bands_and_standouts_named() {
    let h = history().await;
    // Balances: Ana 60, Ben -5, Cy -4, Dee -1, the admin 0.
    let bands = db::balance_buckets(&h.app.db, h.space, 10).await.unwrap();
    assert_eq!(bands.len(), 10);
    assert_eq!((bands[0].low, bands[0].high), (-500, 200));
    assert_eq!((bands[9].low, bands[9].high), (5800, 6500));
    let counts: Vec<i64> = bands.iter().map(|b| b.members).collect();
    assert_eq!(counts, vec![4, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!((bands[0].median, bands[0].p95), (-100, 6000));

    let standouts = db::standouts(&h.app.db, h.space, 12).await.unwrap();
    let got: Vec<_> = standouts
        .iter()
        .map(|s| (s.membership_id, s.flag.as_str(), s.balance, s.of_flag))
        .collect();
    assert_eq!(
        got,
        vec![(h.dee, "near_limit", -100, 1), (h.ana, "hoarding", 6000, 1),]
    );
    let page = overview(&h, "").await;
    assert_eq!(page.status, StatusCode::OK);
    let near = section(&page.body, "id=\"near-limit\"");
    assert!(
        near.contains(&format!("/s/harbour/members/{}\">Dee</a>", h.dee.0)),
        "{near}"
    );
    let hoarding = section(&page.body, "id=\"hoarding\"");
    assert!(hoarding.contains(&format!(
        "/s/harbour/members/{}\">Ana</a>: 60.00 hours",
        h.ana.0
    )));
}

/// The page from `marker` to the end of its block.
fn section<'a>(body: &'a str, marker: &str) -> &'a str {
    let start = body.find(marker).expect(marker);
    let end = body[start..]
        .find("</div>")
        .map_or(body.len(), |e| start + e);
    &body[start..end]
}

/// The network's `<svg>`, parsed as XML: its nodes by member, and its edges' weights.
fn network(body: &str) -> (BTreeMap<i64, i64>, BTreeMap<(i64, i64), i64>) {
    let start = body
        .find("<svg viewBox=\"0 0 960 640\"")
        .expect("the network is drawn");
    let end = start + body[start..].find("</svg>").unwrap() + "</svg>".len();
    let svg = &body[start..end];
    let doc = roxmltree::Document::parse(svg).expect("the network's SVG is well-formed");
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(root.children().any(|n| n.has_tag_name("title")));
    let attr =
        |n: &roxmltree::Node, name: &str| -> i64 { n.attribute(name).unwrap().parse().unwrap() };
    let mut nodes = BTreeMap::new();
    let mut edges = BTreeMap::new();
    for n in root.descendants() {
        if n.has_tag_name("circle") {
            assert!(n.attribute("r").unwrap().parse::<f64>().unwrap() > 0.0);
            let exchanges = attr(&n, "data-exchanges");
            assert!(
                nodes.insert(attr(&n, "data-member"), exchanges).is_none(),
                "one node each"
            );
        } else if n.has_tag_name("line") {
            let pair = (attr(&n, "data-a"), attr(&n, "data-b"));
            assert!(
                edges.insert(pair, attr(&n, "data-weight")).is_none(),
                "one edge a pair"
            );
        }
    }
    (nodes, edges)
}

#[tokio::test]
async fn network_draws_one_node_per_trader_and_weighs_each_pair() {
    let h = history().await;
    let (ana, ben, cy, dee) = (h.ana.0, h.ben.0, h.cy.0, h.dee.0);
    let page = overview(&h, "?weeks=4").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("style="),
        "the CSP allows no inline style"
    );
    let (nodes, edges) = network(&page.body);
    assert_eq!(
        nodes,
        BTreeMap::from([(ana, 3), (ben, 2), (cy, 2), (dee, 1)])
    );
    let pair = |a: i64, b: i64| (a.min(b), a.max(b));
    // Ana and Ben: her gift and his trade; Ana and Cy: a trade; Cy and Dee: a gift.
    assert_eq!(
        edges,
        BTreeMap::from([(pair(ana, ben), 2), (pair(ana, cy), 1), (pair(cy, dee), 1)])
    );
    assert!(page.has("<dd>4 of 4</dd>"), "traders and exchanges drawn");
    let table = &page.body[page.body.find("id=\"network-table\"").unwrap()..];
    assert!(table.contains(&format!("/s/harbour/members/{ana}\">Ana</a></td><td data-label=\"Member\"><a href=\"/s/harbour/members/{ben}\">Ben</a></td><td data-label=\"Trades\">1</td><td data-label=\"Gifts\">1</td>")));

    // A year back, Ben's old gift to Ana joins their pair; the picture is the same each time.
    let year = overview(&h, "?weeks=52").await;
    let (_, edges) = network(&year.body);
    assert_eq!(edges[&pair(ana, ben)], 3);
    let again = overview(&h, "?weeks=52").await;
    let svg = |b: &str| {
        b[b.find("<svg viewBox=\"0 0 960").unwrap()..]
            .split("</svg>")
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        svg(&year.body),
        svg(&again.body),
        "the layout is deterministic"
    );
}

#[tokio::test]
async fn the_weeks_table_says_what_the_charts_show() {
    let h = history().await;
    let page = overview(&h, "?weeks=4").await;
    let table = &page.body[page.body.find("id=\"weeks-table\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr><th scope=\"row\"").count(), 4);
    assert!(table.contains("<td data-label=\"Members\">5</td><td data-label=\"Active traders\">4</td><td data-label=\"New members\">1</td><td data-label=\"Trades completed\">2</td><td data-label=\"Credits moved\" class=\"amount\">9.00 hours</td>"), "{table}");
    assert_eq!(
        page.body.matches("role=\"img\" aria-labelledby=").count(),
        5 + 4 + 1 + 1
    );
}

#[tokio::test]
async fn only_the_spaces_admins_see_the_overview() {
    let h = history().await;
    let other = h.app.space("other", SignupMode::Open).await;
    h.app
        .member(other, "boss@example.org", Role::Admin, Status::Active)
        .await;
    h.app.person("stranger@example.org", "Stranger").await;
    for (who, status) in [
        ("ana@example.org", StatusCode::FORBIDDEN),
        ("boss@example.org", StatusCode::FORBIDDEN),
        ("stranger@example.org", StatusCode::FORBIDDEN),
    ] {
        let mut browser = h.app.signed_in(who).await;
        let page = browser.get("/s/harbour/admin/overview").await;
        assert_eq!(page.status, status, "{who}");
        assert!(!page.has("exchange network"), "{who}");
    }
    let page = h.app.browser().get("/s/harbour/admin/overview").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_period_not_offered_shows_twelve_weeks_with_a_notice() {
    let h = history().await;
    for query in [
        "7",
        "abc",
        "%FF",
        "-4",
        "99999999999999999999",
        "4%27%20or%201%3D1",
        "%00",
    ] {
        let page = overview(&h, &format!("?weeks={query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        assert!(page.has("That is not a period this page offers"), "{query}");
        assert!(page.has("<option value=\"12\" selected>"), "{query}");
        assert_eq!(
            page.body
                .matches("<tr><th scope=\"row\" data-label=\"Week of\"")
                .count(),
            12
        );
    }
    let page = overview(&h, "?weeks=26").await;
    assert!(!page.has("That is not a period"));
    assert_eq!(
        page.body
            .matches("<tr><th scope=\"row\" data-label=\"Week of\"")
            .count(),
        26
    );
    let page = overview(&h, "").await;
    assert!(!page.has("That is not a period"));
    assert!(page.has("<option value=\"12\" selected>"));
}

#[test]
fn the_layout_is_stable_and_stays_in_its_frame() {
    let edges: Vec<graph::Edge> = (0..40)
        .map(|i| graph::Edge {
            a: i,
            b: (i * 7 + 3) % 40,
            weight: (i % 5 + 1) as f64,
        })
        .collect();
    let first = graph::layout(40, &edges, 960.0, 640.0, 44.0);
    let second = graph::layout(40, &edges, 960.0, 640.0, 44.0);
    assert_eq!(first, second);
    for p in &first {
        assert!(
            (44.0 - 1e-6..=916.0 + 1e-6).contains(&p.x)
                && (44.0 - 1e-6..=596.0 + 1e-6).contains(&p.y),
            "{p:?}"
        );
    }
    let distinct: BTreeSet<(i64, i64)> = first.iter().map(|p| (p.x as i64, p.y as i64)).collect();
    assert_eq!(distinct.len(), 40, "no two nodes on one spot");
}

#[tokio::test]
async fn figures_are_kept_a_few_minutes_and_computed_again_while_admins_look() {
    let h = history().await;
    let first = overview(&h, "?weeks=4").await;
    assert!(first.has("computed just now"));
    assert!(first.has("<dd>4 of 4</dd>"));
    let kept = |sql: &'static str| {
        let db = h.app.db.clone();
        async move { sqlx::query(sql).execute(&db).await.unwrap() }
    };
    // The page reads what was kept: emptied, the network is gone from the page.
    kept("update overview_snapshots set figures = jsonb_set(figures, '{traders}', '[]')").await;
    let reused = overview(&h, "?weeks=4").await;
    assert!(
        !reused.has("<dd>4 of 4</dd>"),
        "the kept figures were not used"
    );
    // Older than a page may show: counted again from the ledger.
    kept("update overview_snapshots set computed_at = now() - interval '6 minutes'").await;
    let again = overview(&h, "?weeks=4").await;
    assert!(again.has("<dd>4 of 4</dd>"));
    // The background job counts again what admins opened lately, and only that.
    kept("update overview_snapshots set computed_at = now() - interval '5 minutes'").await;
    assert_eq!(
        swapdesk::admin::overview::snapshot::refresh(&h.app.db)
            .await
            .unwrap(),
        1
    );
    kept(
        "update overview_snapshots set computed_at = now() - interval '5 minutes',
                                       viewed_at = now() - interval '2 days'",
    )
    .await;
    assert_eq!(
        swapdesk::admin::overview::snapshot::refresh(&h.app.db)
            .await
            .unwrap(),
        0
    );
    // Nobody opened it for a day: forgotten, names and all.
    assert_eq!(
        h.app.count("select count(*) from overview_snapshots").await,
        0
    );
}
