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
    let days = ((end - start).whole_days().max(1)) as f64;
    let mut series = vec![(start, opening)];
    series.extend(
        closing_by_day
            .iter()
            .copied()
            .filter(|(d, _)| *d >= start && *d <= end),
    );
    let last = series.last().map(|(_, b)| *b).unwrap_or(opening);
    series.push((end, last));

    let lowest = series.iter().map(|(_, b)| *b).min().unwrap_or(0).min(0);
    let highest = series.iter().map(|(_, b)| *b).max().unwrap_or(0).max(0);
    let span = ((highest - lowest) as f64).max(100.0);
    let x = |d: Date| LEFT + (d - start).whole_days() as f64 / days * (WIDTH - LEFT - RIGHT);
    let y = |b: i64| TOP + (highest - b) as f64 / span * (HEIGHT - TOP - BOTTOM);

    // A step line: a balance holds until the day it changes.
    let mut points = Vec::new();
    let mut previous: Option<i64> = None;
    for (day, balance) in &series {
        if let Some(prev) = previous {
            points.push(format!("{},{}", coord(x(*day)), coord(y(prev))));
        }
        points.push(format!("{},{}", coord(x(*day)), coord(y(*balance))));
        previous = Some(*balance);
    }

    let mut y_labels = vec![Label {
        x: coord(LEFT - 6.0),
        y: coord(y(highest) + 4.0),
        text: format_amount(highest, "").trim().to_owned(),
    }];
    if lowest < 0 && highest > 0 {
        y_labels.push(Label {
            x: coord(LEFT - 6.0),
            y: coord(y(0) + 4.0),
            text: "0.00".to_owned(),
        });
    }
    if lowest != highest {
        y_labels.push(Label {
            x: coord(LEFT - 6.0),
            y: coord(y(lowest) + 4.0),
            text: format_amount(lowest, "").trim().to_owned(),
        });
    }
    let date_text = |d: Date| format!("{} {} {}", d.day(), &month_name(d)[..3], d.year());
    let x_labels = vec![
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
    ];

    let rows = closing_by_day
        .iter()
        .filter(|(d, _)| *d >= start && *d <= end)
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
        points: points.join(" "),
        zero_y: coord(y(0)),
        y_labels,
        x_labels,
        rows,
    }
}

/// The default window: the last 60 days up to today.
pub fn default_window(today: Date) -> (Date, Date) {
    (today - Duration::days(60), today)
}

fn month_name(d: Date) -> String {
    d.month().to_string()
}
