//! The balance-over-time chart, drawn on the server as SVG with a title, a description and
//! a table of the same numbers (SPEC §10.5: charts carry a text or table alternative).

use time::{Date, Duration};

use crate::ledger::money::format_amount;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;

pub struct Label {
    pub x: String,
    pub y: String,
    pub text: String,
}

pub struct Row {
    pub date: String,
    pub balance: String,
}

pub struct Chart {
    pub title: String,
    pub description: String,
    /// The step line, as SVG polyline points.
    pub points: String,
    pub zero_y: String,
    pub y_labels: Vec<Label>,
    pub x_labels: Vec<Label>,
    /// Days when the balance changed, for the table alternative.
    pub rows: Vec<Row>,
}

fn coord(v: f64) -> String {
    format!("{v:.1}")
}

/// Builds the chart for `start..=end` from the balance before `start` and each day's
/// closing balance (days without entries carry the balance forward).
pub fn balance_chart(
    start: Date,
    end: Date,
    opening: i64,
    closing_by_day: &[(Date, i64)],
    currency: &str,
) -> Chart {
    let in_window = |d: &Date| *d >= start && *d <= end;
    let mut series = vec![(start, opening)];
    series.extend(closing_by_day.iter().copied().filter(|(d, _)| in_window(d)));
    let last = series.last().map(|(_, b)| *b).unwrap_or(opening);
    series.push((end, last));
    let scale = Scale::new(start, end, &series);

    let rows = closing_by_day
        .iter()
        .filter(|(d, _)| in_window(d))
        .map(|(d, b)| Row {
            date: date_text(*d),
            balance: format_amount(*b, currency),
        })
        .collect();
    let description = format!(
        "From {} to {}, your balance went from {} to {}. Lowest: {}. Highest: {}.",
        date_text(start),
        date_text(end),
        format_amount(opening, currency),
        format_amount(last, currency),
        format_amount(series.iter().map(|(_, b)| *b).min().unwrap_or(0), currency),
        format_amount(series.iter().map(|(_, b)| *b).max().unwrap_or(0), currency),
    );
    Chart {
        title: format!("Your balance, {} to {}", date_text(start), date_text(end)),
        description,
        points: step_line(&series, &scale),
        zero_y: coord(scale.y(0)),
        y_labels: y_labels(&scale),
        x_labels: x_labels(start, end),
        rows,
    }
}

/// Days and balances to SVG coordinates. Zero is always in view, and a span of at least
/// 100 keeps small changes small (and never divides by zero).
struct Scale {
    start: Date,
    days: f64,
    lowest: i64,
    highest: i64,
    span: f64,
}

impl Scale {
    fn new(start: Date, end: Date, series: &[(Date, i64)]) -> Self {
        let lowest = series.iter().map(|(_, b)| *b).min().unwrap_or(0).min(0);
        let highest = series.iter().map(|(_, b)| *b).max().unwrap_or(0).max(0);
        Self {
            start,
            days: ((end - start).whole_days().max(1)) as f64,
            lowest,
            highest,
            span: ((highest - lowest) as f64).max(100.0),
        }
    }

    fn x(&self, d: Date) -> f64 {
        LEFT + (d - self.start).whole_days() as f64 / self.days * (WIDTH - LEFT - RIGHT)
    }

    fn y(&self, b: i64) -> f64 {
        TOP + (self.highest - b) as f64 / self.span * (HEIGHT - TOP - BOTTOM)
    }
}

/// A step line, as SVG polyline points: a balance holds until the day it changes.
fn step_line(series: &[(Date, i64)], scale: &Scale) -> String {
    let mut points = Vec::new();
    let mut previous: Option<i64> = None;
    for (day, balance) in series {
        if let Some(prev) = previous {
            points.push(format!("{},{}", coord(scale.x(*day)), coord(scale.y(prev))));
        }
        points.push(format!(
            "{},{}",
            coord(scale.x(*day)),
            coord(scale.y(*balance))
        ));
        previous = Some(*balance);
    }
    points.join(" ")
}

/// The highest and lowest balances on the axis, and zero between them when it is.
fn y_labels(scale: &Scale) -> Vec<Label> {
    let label = |balance: i64, text: String| Label {
        x: coord(LEFT - 6.0),
        y: coord(scale.y(balance) + 4.0),
        text,
    };
    let amount = |balance: i64| format_amount(balance, "").trim().to_owned();
    let mut labels = vec![label(scale.highest, amount(scale.highest))];
    if scale.lowest < 0 && scale.highest > 0 {
        labels.push(label(0, "0.00".to_owned()));
    }
    if scale.lowest != scale.highest {
        labels.push(label(scale.lowest, amount(scale.lowest)));
    }
    labels
}

/// The first and last day, under the ends of the axis.
fn x_labels(start: Date, end: Date) -> Vec<Label> {
    vec![
        Label {
            x: coord(LEFT),
            y: coord(HEIGHT - 8.0),
            text: date_text(start),
        },
        Label {
            x: coord(WIDTH - RIGHT),
            y: coord(HEIGHT - 8.0),
            text: date_text(end),
        },
    ]
}

fn date_text(d: Date) -> String {
    format!("{} {} {}", d.day(), &month_name(d)[..3], d.year())
}

/// The default window: the last 60 days up to today.
pub fn default_window(today: Date) -> (Date, Date) {
    (today - Duration::days(60), today)
}

fn month_name(d: Date) -> String {
    d.month().to_string()
}
