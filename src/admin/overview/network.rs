//! The exchange network as the template draws it: the most active traders placed by
//! `graph::layout`, sized by their exchanges; edges as thick as the exchanges of the pair.

use std::collections::HashMap;

use super::db::{Pair, Trader};
use super::graph::{self, Edge};
use crate::web::html::truncate;

/// The traders drawn, and the heaviest pairs among them drawn and tabled.
pub const TOP_TRADERS: i64 = 150;
pub const TOP_PAIRS: i64 = 600;
const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 640.0;
const MARGIN: f64 = 44.0;

#[derive(Debug, Clone)]
pub struct Network {
    pub view_box: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Link>,
    pub drawn_traders: usize,
    pub all_traders: i64,
    pub drawn_exchanges: i64,
    pub all_exchanges: i64,
}

impl Network {
    /// Traders in the window not drawn, and exchanges not drawn (a party not drawn, or a
    /// pair past the heaviest `TOP_PAIRS`).
    pub fn hidden_traders(&self) -> i64 {
        self.all_traders - self.drawn_traders as i64
    }

    pub fn hidden_exchanges(&self) -> i64 {
        self.all_exchanges - self.drawn_exchanges
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub membership_id: i64,
    pub name: String,
    pub label: String,
    pub exchanges: i64,
    pub x: String,
    pub y: String,
    pub r: String,
    /// The label's baseline, under the circle.
    pub label_y: String,
    /// `node-label major` for the ten busiest, else `node-label`.
    pub label_class: &'static str,
}

#[derive(Debug, Clone)]
pub struct Link {
    pub a_id: i64,
    pub a_name: String,
    pub b_id: i64,
    pub b_name: String,
    pub trades: i64,
    pub gifts: i64,
    pub weight: i64,
    pub x1: String,
    pub y1: String,
    pub x2: String,
    pub y2: String,
    pub width: String,
}

fn f(v: f64) -> String {
    format!("{v:.1}")
}

pub fn build(traders: &[Trader], pairs: &[Pair]) -> Network {
    let index: HashMap<i64, usize> = traders
        .iter()
        .enumerate()
        .map(|(i, t)| (t.membership_id.0, i))
        .collect();
    let placed: Vec<(usize, usize, &Pair)> = pairs
        .iter()
        .filter_map(|p| Some((*index.get(&p.a.0)?, *index.get(&p.b.0)?, p)))
        .collect();
    let edges: Vec<Edge> = placed
        .iter()
        .map(|(a, b, p)| Edge {
            a: *a,
            b: *b,
            weight: (p.trades + p.gifts) as f64,
        })
        .collect();
    let pos = graph::layout(traders.len(), &edges, WIDTH, HEIGHT, MARGIN);
    let busiest = traders.first().map_or(1, |t| t.exchanges.max(1)) as f64;
    let heaviest = placed
        .iter()
        .map(|(_, _, p)| p.trades + p.gifts)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let radius = |exchanges: i64| 4.0 + 12.0 * (exchanges as f64 / busiest).sqrt();
    let nodes = traders
        .iter()
        .zip(&pos)
        .enumerate()
        .map(|(i, (t, p))| Node {
            membership_id: t.membership_id.0,
            name: t.name.clone(),
            label: truncate(&t.name, 18),
            exchanges: t.exchanges,
            x: f(p.x),
            y: f(p.y),
            r: f(radius(t.exchanges)),
            label_y: f(p.y + radius(t.exchanges) + 12.0),
            label_class: if i < 10 {
                "node-label major"
            } else {
                "node-label"
            },
        })
        .collect();
    let links = placed
        .iter()
        .map(|(a, b, p)| {
            let weight = p.trades + p.gifts;
            Link {
                a_id: p.a.0,
                a_name: traders[*a].name.clone(),
                b_id: p.b.0,
                b_name: traders[*b].name.clone(),
                trades: p.trades,
                gifts: p.gifts,
                weight,
                x1: f(pos[*a].x),
                y1: f(pos[*a].y),
                x2: f(pos[*b].x),
                y2: f(pos[*b].y),
                width: f(0.8 + 5.2 * (weight as f64 / heaviest).sqrt()),
            }
        })
        .collect::<Vec<_>>();
    Network {
        view_box: format!("0 0 {WIDTH} {HEIGHT}"),
        drawn_traders: traders.len(),
        all_traders: traders.first().map_or(0, |t| t.all_traders),
        drawn_exchanges: links.iter().map(|l| l.weight).sum(),
        all_exchanges: traders.first().map_or(0, |t| t.all_exchanges),
        nodes,
        edges: links,
    }
}
