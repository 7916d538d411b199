//! The admin overview (SPEC §6.6): the space's life over the chosen weeks, as server-side
//! SVG charts with tables beside them. Every figure is an aggregate query (`db`); this
//! module only shapes them for the page, and lays out the exchange network (`graph`).

pub mod charts;
pub mod db;
pub mod graph;
pub mod network;
pub mod snapshot;

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use time::OffsetDateTime;

use crate::ledger::money::{format_amount, format_number};
use crate::messages;
use crate::web::error::AppResult;
use crate::web::extract::Admin;
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choice, Layout, page};
use crate::web::state::AppState;
use charts::{Columns, Rows, Value};
use db::{Bucket, Spot, Standout, Week};
use network::Network;

/// How many weeks the page looks back over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weeks {
    Four,
    Twelve,
    TwentySix,
    FiftyTwo,
}

impl Weeks {
    pub const ALL: [Weeks; 4] = [
        Weeks::Four,
        Weeks::Twelve,
        Weeks::TwentySix,
        Weeks::FiftyTwo,
    ];
    pub const DEFAULT: Weeks = Weeks::Twelve;

    pub fn count(self) -> i32 {
        match self {
            Weeks::Four => 4,
            Weeks::Twelve => 12,
            Weeks::TwentySix => 26,
            Weeks::FiftyTwo => 52,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Weeks::Four => "The last 4 weeks",
            Weeks::Twelve => "The last 12 weeks",
            Weeks::TwentySix => "The last 26 weeks",
            Weeks::FiftyTwo => "The last 52 weeks",
        }
    }

    pub fn parse(raw: &str) -> Option<Weeks> {
        Weeks::ALL
            .into_iter()
            .find(|w| w.count().to_string() == raw.trim())
    }
}

use snapshot::TOP_SPOTS;

#[derive(Template)]
#[template(path = "admin/overview.html")]
pub struct OverviewPage {
    pub layout: Layout,
    pub slug: String,
    pub weeks: i32,
    pub choices: Vec<Choice>,
    /// `weeks` in the address was not one of the choices: the default is shown instead.
    pub bad_weeks: bool,
    /// How old the figures are ("computed just now", "computed 3 minutes ago").
    pub age: String,
    pub errors: Errors,
    pub rows: Vec<WeekRow>,
    pub activity: Vec<Columns>,
    pub trading: Vec<Columns>,
    pub spots: Vec<Rows>,
    pub categories: Vec<Spot>,
    pub skills: Vec<Spot>,
    pub balances: Columns,
    pub bands: Vec<(String, i64)>,
    pub median: String,
    pub p95: String,
    pub near_limit: Callout,
    pub hoarding: Callout,
    pub network: Network,
}

/// A week of the tables, as shown.
pub struct WeekRow {
    pub week: String,
    pub members: i64,
    pub new_members: i64,
    pub active_traders: i64,
    pub trades: i64,
    pub credits: String,
}

/// Members called out by name, and how many carry the flag in all.
pub struct Callout {
    pub members: Vec<CalledOut>,
    pub total: i64,
}

pub struct CalledOut {
    pub id: i64,
    pub name: String,
    pub balance: String,
    pub held: Option<String>,
    pub limit: String,
}

impl Callout {
    fn of(standouts: &[Standout], flag: &str, currency: &str) -> Callout {
        let flagged: Vec<&Standout> = standouts.iter().filter(|s| s.flag == flag).collect();
        Callout {
            total: flagged.first().map_or(0, |s| s.of_flag),
            members: flagged
                .into_iter()
                .map(|s| CalledOut {
                    id: s.membership_id.0,
                    name: s.name.clone(),
                    balance: format_amount(s.balance, currency),
                    held: (s.held > 0).then(|| format_amount(s.held, currency)),
                    limit: format_amount(s.credit_limit, currency),
                })
                .collect(),
        }
    }
}

pub async fn overview(
    State(state): State<AppState>,
    admin: Admin,
    uri: Uri,
) -> AppResult<Response> {
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let raw = params.get("weeks");
    let chosen = raw.and_then(Weeks::parse);
    let weeks = chosen.unwrap_or(Weeks::DEFAULT);
    let (space, n) = (admin.space.id, weeks.count());
    let snapshot::Figures {
        series,
        categories,
        skills,
        buckets,
        standouts,
        traders,
        pairs,
        computed_at,
    } = snapshot::figures(&state.db, space, n).await?;
    let age = (OffsetDateTime::now_utc() - computed_at)
        .whole_minutes()
        .max(0);
    let currency = &admin.space.currency_name;
    page(&OverviewPage {
        layout: admin.layout(format!("Overview: {}", weeks.label().to_lowercase())),
        slug: admin.space.slug.clone(),
        weeks: n,
        choices: Weeks::ALL
            .into_iter()
            .map(|w| Choice::new(w.count().to_string(), w.label(), w == weeks))
            .collect(),
        bad_weeks: raw.is_some() && chosen.is_none(),
        age: messages::figures_age(age),
        errors: Errors::default(),
        rows: week_rows(&series, currency),
        activity: activity_charts(&series),
        trading: trade_charts(&series, currency),
        spots: spot_charts(&categories, &skills),
        balances: balance_chart(&buckets, currency),
        bands: buckets
            .iter()
            .map(|b| (band(b, currency), b.members))
            .collect(),
        median: format_amount(buckets.first().map_or(0, |b| b.median), currency),
        p95: format_amount(buckets.first().map_or(0, |b| b.p95), currency),
        near_limit: Callout::of(&standouts, "near_limit", currency),
        hoarding: Callout::of(&standouts, "hoarding", currency),
        network: network::build(&traders, &pairs),
        categories,
        skills,
    })
}

fn day(d: time::Date) -> String {
    let format = time::macros::format_description!("[day] [month repr:short]");
    d.format(&format).unwrap_or_default()
}

fn week_rows(series: &[Week], currency: &str) -> Vec<WeekRow> {
    series
        .iter()
        .map(|w| WeekRow {
            week: day(w.week),
            members: w.members,
            new_members: w.new_members,
            active_traders: w.active_traders,
            trades: w.trades,
            credits: format_amount(w.credits, currency),
        })
        .collect()
}

/// One column chart per figure, each with its own scale.
fn weekly(
    id: &str,
    title: &str,
    series: &[Week],
    value: impl Fn(&Week) -> (f64, String),
) -> Columns {
    let n = series.len();
    let values: Vec<Value> = series
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let (v, said) = value(w);
            Value {
                value: v,
                label: if charts::labelled(i, n) {
                    day(w.week)
                } else {
                    String::new()
                },
                tip: format!("Week of {}: {said}", day(w.week)),
                below: false,
            }
        })
        .collect();
    charts::columns(id, title, &values)
}

fn activity_charts(series: &[Week]) -> Vec<Columns> {
    vec![
        weekly("chart-members", "Members", series, |w| {
            (w.members as f64, format!("{} members", w.members))
        }),
        weekly("chart-traders", "Active traders", series, |w| {
            (
                w.active_traders as f64,
                format!("{} active traders", w.active_traders),
            )
        }),
        weekly("chart-new", "New members", series, |w| {
            (
                w.new_members as f64,
                format!("{} new members", w.new_members),
            )
        }),
    ]
}

fn trade_charts(series: &[Week], currency: &str) -> Vec<Columns> {
    vec![
        weekly("chart-trades", "Trades completed", series, |w| {
            (w.trades as f64, format!("{} trades completed", w.trades))
        }),
        weekly(
            "chart-credits",
            &format!("Credits moved ({currency})"),
            series,
            |w| (w.credits as f64 / 100.0, format_amount(w.credits, currency)),
        ),
    ]
}

fn spot_charts(categories: &[Spot], skills: &[Spot]) -> Vec<Rows> {
    let top = |spots: &[Spot], by: fn(&Spot) -> i64| -> Vec<(String, i64)> {
        let mut items: Vec<(String, i64)> = spots
            .iter()
            .map(|s| (s.name.clone(), by(s)))
            .filter(|(_, v)| *v > 0)
            .collect();
        items.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        items.truncate(TOP_SPOTS);
        items
    };
    vec![
        charts::rows(
            "spots-cat-trades",
            "Categories by trades",
            &top(categories, |s| s.trades),
        ),
        charts::rows(
            "spots-cat-listings",
            "Categories by listings",
            &top(categories, |s| s.listings),
        ),
        charts::rows(
            "spots-skill-trades",
            "Skills by trades",
            &top(skills, |s| s.trades),
        ),
        charts::rows(
            "spots-skill-listings",
            "Skills by offers",
            &top(skills, |s| s.listings),
        ),
    ]
}

fn band(b: &Bucket, currency: &str) -> String {
    format!(
        "{} to {} {currency}",
        format_number(b.low),
        format_number(b.high)
    )
}

fn balance_chart(buckets: &[Bucket], currency: &str) -> Columns {
    let n = buckets.len();
    let values: Vec<Value> = buckets
        .iter()
        .enumerate()
        .map(|(i, b)| Value {
            value: b.members as f64,
            label: if i.is_multiple_of(3) || i + 1 == n {
                format_number(b.low).trim_end_matches(".00").to_owned()
            } else {
                String::new()
            },
            tip: format!("{}: {} members", band(b, currency), b.members),
            below: b.high <= 0,
        })
        .collect();
    charts::columns("chart-balances", "Members by balance", &values)
}
