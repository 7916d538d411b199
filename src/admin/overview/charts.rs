//! Chart geometry for the templates: the numbers come from the database, this only places
//! them. Coordinates are in each SVG's viewBox, already formatted, so the template draws
//! and never computes. Colours are classes from app.css (the CSP allows no inline style).

use crate::web::html::truncate;

/// Column charts: one value per column (a week, a band of balances).
pub const WIDTH: f64 = 340.0;
pub const HEIGHT: f64 = 170.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 24.0;

/// A column chart, drawn with `<rect>`s, a few grid lines and their values.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The element id its `aria-labelledby` points at.
    pub id: String,
    pub title: String,
    pub view_box: String,
    pub bars: Vec<Bar>,
    pub grid: Vec<Tick>,
    pub labels: Vec<Tick>,
    /// The baseline's y.
    pub base: String,
    pub right: String,
}

#[derive(Debug, Clone)]
pub struct Bar {
    pub x: String,
    pub y: String,
    pub w: String,
    pub h: String,
    /// `bar`, or `bar below` for a band of negative balances.
    pub class: &'static str,
    /// What the bar says, for a pointer's tooltip (the table says it for everyone).
    pub tip: String,
}

/// A grid line with its value on the left, or a label under a column.
#[derive(Debug, Clone)]
pub struct Tick {
    pub x: String,
    pub y: String,
    pub text: String,
}

/// One value of a column chart: its label under the column (empty for none), its tooltip
/// and whether it is below zero (a band of debts).
pub struct Value {
    pub value: f64,
    pub label: String,
    pub tip: String,
    pub below: bool,
}

fn f(v: f64) -> String {
    format!("{v:.1}")
}

/// 1, 2 or 5 times a power of ten, at least `max` (and at least 1).
pub fn nice_ceiling(max: f64) -> f64 {
    if max <= 1.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|c| *c >= max)
        .unwrap_or(10.0 * power)
}

/// A grid value as people read it: 1500 → "1.5k", 2 → "2", 0.5 → "0.5".
fn short(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if v >= 1000.0 {
        format!("{:.1}k", v / 1000.0)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

pub fn columns(id: &str, title: &str, values: &[Value]) -> Columns {
    let max = nice_ceiling(values.iter().map(|v| v.value).fold(0.0, f64::max));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let base = TOP + plot_h;
    let step = plot_w / values.len().max(1) as f64;
    let gap = (step * 0.2).min(6.0);
    let bars = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let h = (v.value.max(0.0) / max * plot_h).max(if v.value > 0.0 { 1.0 } else { 0.0 });
            Bar {
                x: f(LEFT + i as f64 * step + gap / 2.0),
                y: f(base - h),
                w: f(step - gap),
                h: f(h),
                class: if v.below { "bar below" } else { "bar" },
                tip: v.tip.clone(),
            }
        })
        .collect();
    let grid = [0.0, 0.5, 1.0]
        .into_iter()
        .map(|share| Tick {
            x: f(LEFT - 4.0),
            y: f(base - share * plot_h),
            text: short(share * max),
        })
        .collect();
    let labels = values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.label.is_empty())
        .map(|(i, v)| Tick {
            x: f(LEFT + (i as f64 + 0.5) * step),
            y: f(HEIGHT - 6.0),
            text: v.label.clone(),
        })
        .collect();
    Columns {
        id: id.to_owned(),
        title: title.to_owned(),
        view_box: format!("0 0 {WIDTH} {HEIGHT}"),
        bars,
        grid,
        labels,
        base: f(base),
        right: f(WIDTH - RIGHT),
    }
}

/// Which columns get a label under them: about six, evenly, always the last.
pub fn labelled(i: usize, n: usize) -> bool {
    let every = n.div_ceil(6).max(1);
    (n - 1 - i).is_multiple_of(every)
}

/// Horizontal bars, one row per name: the hot spots.
#[derive(Debug, Clone)]
pub struct Rows {
    pub id: String,
    pub title: String,
    pub view_box: String,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub value: i64,
    /// The label's baseline, the bar's top and the value's x.
    pub text_y: String,
    pub bar_y: String,
    pub bar_w: String,
    pub value_x: String,
}

const ROW_H: f64 = 26.0;
const NAME_W: f64 = 130.0;

pub fn rows(id: &str, title: &str, items: &[(String, i64)]) -> Rows {
    let max = items.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let bar_room = WIDTH - NAME_W - 44.0;
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, (name, value))| {
            let top = i as f64 * ROW_H + 4.0;
            let w = (*value as f64 / max * bar_room).max(1.0);
            Row {
                name: truncate(name, 20),
                value: *value,
                text_y: f(top + 15.0),
                bar_y: f(top + 3.0),
                bar_w: f(w),
                value_x: f(NAME_W + w + 5.0),
            }
        })
        .collect();
    Rows {
        id: id.to_owned(),
        title: title.to_owned(),
        view_box: format!("0 0 {WIDTH} {}", items.len().max(1) as f64 * ROW_H + 8.0),
        rows,
    }
}
