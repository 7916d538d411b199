//! The exchange network's layout: Fruchterman and Reingold's force-directed placement
//! ("Graph drawing by force-directed placement", Software: Practice and Experience 21(11),
//! 1991), with a pull towards the centre so that pairs trading only with each other stay in
//! the picture.
//!
//! - Every pair of nodes repels with k²/d, and every edge attracts with d²/k, strengthened
//!   by the logarithm of its weight so that frequent partners sit close;
//!   k = 0.75·√(area / n).
//! - Each step moves a node by its net force, capped by a temperature that cools linearly
//!   from a tenth of the frame's width to nothing over `ITERATIONS` steps, so the work is
//!   bounded: n²/2 · 300 force evaluations, about 3.4 million for 150 nodes.
//! - Start: the nodes in order of activity on a sunflower spiral (the busiest at the
//!   centre), nudged by a splitmix64 generator with a fixed seed. No clock and no hash
//!   order is involved, so the same data always gives the same picture.

/// Steps of the simulation.
pub const ITERATIONS: usize = 300;
const SEED: u64 = 0x5eed_5ab0_de5c_0001;

/// A point in the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// An undirected edge between nodes `a` and `b` (indexes), of weight at least 1.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    pub weight: f64,
}

/// Positions for `n` nodes (given in order of activity) in a `width` × `height` frame,
/// each at least `margin` inside its edges.
pub fn layout(n: usize, edges: &[Edge], width: f64, height: f64, margin: f64) -> Vec<Point> {
    if n == 0 {
        return Vec::new();
    }
    let centre = Point {
        x: width / 2.0,
        y: height / 2.0,
    };
    if n == 1 {
        return vec![centre];
    }
    let k = 0.75 * (width * height / n as f64).sqrt();
    let mut pos = start(n, width, height, k);
    let reach = width.min(height) / 2.0;
    let mut disp = vec![Point { x: 0.0, y: 0.0 }; n];
    for step in 0..ITERATIONS {
        let temperature = width / 10.0 * (1.0 - step as f64 / ITERATIONS as f64);
        for d in disp.iter_mut() {
            *d = Point { x: 0.0, y: 0.0 };
        }
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy, dist) = apart(pos[i], pos[j]);
                let force = k * k / dist;
                disp[i].x += dx / dist * force;
                disp[i].y += dy / dist * force;
                disp[j].x -= dx / dist * force;
                disp[j].y -= dy / dist * force;
            }
        }
        for e in edges.iter().filter(|e| e.a < n && e.b < n && e.a != e.b) {
            let (dx, dy, dist) = apart(pos[e.a], pos[e.b]);
            let force = dist * dist / k * (1.0 + e.weight.max(1.0).ln());
            disp[e.a].x -= dx / dist * force;
            disp[e.a].y -= dy / dist * force;
            disp[e.b].x += dx / dist * force;
            disp[e.b].y += dy / dist * force;
        }
        for (p, d) in pos.iter_mut().zip(disp.iter_mut()) {
            // Gravity: as strong as one close neighbour's push at the frame's edge.
            d.x -= (p.x - centre.x) / reach * k;
            d.y -= (p.y - centre.y) / reach * k;
            let length = (d.x * d.x + d.y * d.y).sqrt().max(1e-9);
            let moved = length.min(temperature);
            p.x = (p.x + d.x / length * moved).clamp(0.0, width);
            p.y = (p.y + d.y / length * moved).clamp(0.0, height);
        }
    }
    fit(pos, width, height, margin)
}

/// dx, dy and the distance between two points, never zero.
fn apart(p: Point, q: Point) -> (f64, f64, f64) {
    let (dx, dy) = (p.x - q.x, p.y - q.y);
    let dist = (dx * dx + dy * dy).sqrt();
    if dist < 0.01 {
        (0.01, 0.0, 0.01)
    } else {
        (dx, dy, dist)
    }
}

/// The sunflower spiral, nudged by the seeded generator.
fn start(n: usize, width: f64, height: f64, k: f64) -> Vec<Point> {
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let radius = width.min(height) * 0.45;
    let mut rng = SplitMix(SEED);
    (0..n)
        .map(|i| {
            let r = radius * ((i as f64 + 0.5) / n as f64).sqrt();
            let angle = i as f64 * golden;
            Point {
                x: width / 2.0 + r * angle.cos() + (rng.unit() - 0.5) * k * 0.2,
                y: height / 2.0 + r * angle.sin() + (rng.unit() - 0.5) * k * 0.2,
            }
        })
        .collect()
}

/// Scales the drawing to fill the frame, keeping its proportions and the margin. The frame
/// fits the middle 96% of nodes on each axis (all of them below 25 nodes), and the few
/// loners beyond are pulled onto its edge, so they do not shrink the busy core to a knot.
fn fit(pos: Vec<Point>, width: f64, height: f64, margin: f64) -> Vec<Point> {
    let span = |mut v: Vec<f64>| -> (f64, f64) {
        v.sort_by(f64::total_cmp);
        let cut = if v.len() < 25 { 0 } else { v.len() / 50 };
        (v[cut], v[v.len() - 1 - cut])
    };
    let (lx, hx) = span(pos.iter().map(|p| p.x).collect());
    let (ly, hy) = span(pos.iter().map(|p| p.y).collect());
    let (w, h) = ((hx - lx).max(1e-6), (hy - ly).max(1e-6));
    let scale = ((width - 2.0 * margin) / w).min((height - 2.0 * margin) / h);
    let (ox, oy) = (
        (width - w * scale) / 2.0 - lx * scale,
        (height - h * scale) / 2.0 - ly * scale,
    );
    pos.into_iter()
        .map(|p| Point {
            x: (p.x * scale + ox).clamp(margin, width - margin),
            y: (p.y * scale + oy).clamp(margin, height - margin),
        })
        .collect()
}

/// splitmix64 (Steele, Lea and Flood 2014): small, fast and the same everywhere.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}
