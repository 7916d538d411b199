//! Drives signed-in "Send credits" confirmations against one or more Swapdesk instances:
//! each client signs in as its own member, reads its CSRF token, and posts transfers with a
//! fresh UUID v7 each, as the browser form would. Prints throughput and latency; with
//! --log, records every request's id and outcome for the fault run to resolve.
//!
//! usage: swapdesk-loadgen --targets URL[,URL] --slug SLUG --emails FILE --password PW
//!            [--clients 16] [--seconds 30] [--hot N] [--log FILE] [--amount 1]
//!            [--members FILE (email and membership id a line: whom transfers pay)]
//!        swapdesk-loadgen ... --paths FILE [--trades FILE] [--latencies FILE]
//!            (GET these paths under /s/SLUG instead; `{trade}` in a path becomes one of the
//!            client's own trades, from lines "EMAIL ID ID ..." of --trades)
//!        swapdesk-loadgen --mode lifecycle --pairs FILE --targets URL --slug SLUG --password PW
//!            (each client is a pair "EMAIL MEMBERSHIP EMAIL MEMBERSHIP" that proposes,
//!            accepts, delivers and confirms trades through HTTP; see lifecycle.rs)
//!        swapdesk-loadgen --flood N --targets URL --emails FILE --password PW
//!            (N parallel bad sign-ins from N addresses, named in X-Forwarded-For, while the
//!            first member signs in from another address; needs TRUST_PROXY on the app)

mod flood;
mod http;
mod lifecycle;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hyper::{Method, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::io::AsyncWriteExt;
use tokio::sync::Mutex;

use crate::http::{HttpClient, enc, request, sign_in_patiently};

pub struct Args {
    targets: Vec<String>,
    slug: String,
    emails: Vec<String>,
    password: String,
    clients: usize,
    seconds: u64,
    hot: usize,
    log: Option<String>,
    /// Append every acknowledged request's latency (microseconds, one a line) to this file,
    /// so a bench that measures in rounds can take percentiles over all of them.
    latencies: Option<String>,
    amount: String,
    /// GET these paths (one per line, under /s/SLUG) instead of posting transfers.
    paths: Vec<String>,
    /// Each client's own trades, by email, for `{trade}` in a path.
    trades: HashMap<String, Vec<String>>,
    /// `lifecycle`: trade life cycles by pairs of members instead.
    mode: String,
    /// For the life cycles: pairs of (email, membership id).
    pairs: Vec<((String, String), (String, String))>,
    /// Parallel bad sign-ins to send instead (0: no flood).
    flood: usize,
    /// Whom transfers pay: (email, membership id), one a line. Each client pays the others.
    members: Vec<(String, String)>,
}

fn args() -> Args {
    let mut map: HashMap<String, String> = HashMap::new();
    let raw: Vec<String> = std::env::args().skip(1).collect();
    for pair in raw.chunks(2) {
        if let [k, v] = pair {
            map.insert(k.trim_start_matches("--").to_owned(), v.clone());
        }
    }
    let get = |k: &str, d: &str| map.get(k).cloned().unwrap_or_else(|| d.to_owned());
    let flood = get("flood", "0").parse().expect("--flood N");
    let emails = lines_of(&map, "emails").into_iter().flatten().collect();
    let trades = lines_of(&map, "trades")
        .into_iter()
        .map(|mut words| (words.remove(0), words))
        .collect();
    let pairs = lines_of(&map, "pairs")
        .into_iter()
        .filter_map(|w| match &w[..] {
            [a, am, b, bm] => Some(((a.clone(), am.clone()), (b.clone(), bm.clone()))),
            _ => None,
        })
        .collect();
    Args {
        targets: get("targets", "http://127.0.0.1:8080").split(',').map(str::to_owned).collect(),
        slug: get("slug", "bench"),
        emails,
        password: get("password", ""),
        clients: get("clients", "16").parse().expect("--clients"),
        seconds: get("seconds", "30").parse().expect("--seconds"),
        hot: get("hot", "0").parse().expect("--hot"),
        log: map.get("log").cloned(),
        latencies: map.get("latencies").cloned(),
        amount: get("amount", "0.01"),
        flood,
        paths: lines_of(&map, "paths").into_iter().flatten().collect(),
        trades,
        mode: get("mode", "transfers"),
        pairs,
        members: lines_of(&map, "members")
            .into_iter()
            .filter_map(|w| match &w[..] {
                [email, id] => Some((email.clone(), id.clone())),
                _ => None,
            })
            .collect(),
    }
}

/// The `p` quantile of sorted latencies in microseconds, in milliseconds.
pub fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        0.0
    } else {
        sorted[((sorted.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0
    }
}

/// Lines of whitespace-separated words from a file named by an option, if given.
fn lines_of(map: &HashMap<String, String>, option: &str) -> Vec<Vec<String>> {
    let Some(file) = map.get(option) else {
        return Vec::new();
    };
    std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read --{option} {file}: {e}"))
        .lines()
        .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|words| !words.is_empty())
        .collect()
}

#[tokio::main]
async fn main() {
    let args = Arc::new(args());
    let http: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(64)
        .build_http();
    if args.flood > 0 {
        flood::flood(&http, &args).await;
        return;
    }
    if args.mode == "lifecycle" {
        lifecycle::run(&http, args.clone()).await;
        return;
    }
    let log = match &args.log {
        Some(path) => Some(Arc::new(Mutex::new(
            tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .await
                .expect("open --log"),
        ))),
        None => None,
    };

    // Sign every client in first (not timed).
    let mut sessions = Vec::new();
    for (i, email) in args.emails.iter().take(args.clients).enumerate() {
        let base = &args.targets[i % args.targets.len()];
        let mut session = sign_in_patiently(&http, base, &args.slug, email, &args.password)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if !args.members.is_empty() {
            session.members =
                args.members.iter().filter(|(e, _)| e != email).map(|(_, id)| id.clone()).collect();
        }
        let own_trades = args.trades.get(email).cloned().unwrap_or_default();
        if own_trades.is_empty() && args.paths.iter().any(|p| p.contains("{trade}")) {
            panic!("--trades names no trade of {email}");
        }
        sessions.push((session, own_trades));
    }
    let everyone: Vec<String> = sessions.first().map(|(s, _)| s.members.clone()).unwrap_or_default();
    if args.paths.is_empty() && everyone.is_empty() {
        eprintln!("nobody to pay: pass --members FILE (email and membership id a line)");
        std::process::exit(2);
    }
    let hot: Vec<String> = everyone.iter().take(args.hot).cloned().collect();
    eprintln!(
        "{} clients signed in on {} instance(s); {} recipients{}",
        sessions.len(),
        args.targets.len(),
        everyone.len(),
        if args.hot > 0 { format!(", {} hot", hot.len()) } else { String::new() }
    );

    let ok = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let unknown = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let latencies = Arc::new(Mutex::new(Vec::<u32>::new()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, (session, own_trades)) in sessions.into_iter().enumerate() {
        let (http, args, log) = (http.clone(), args.clone(), log.clone());
        let (ok, refused, unknown, stop, latencies) =
            (ok.clone(), refused.clone(), unknown.clone(), stop.clone(), latencies.clone());
        let recipients: Vec<String> = if hot.is_empty() {
            session.members.clone()
        } else {
            hot.iter().filter(|h| session.members.contains(h)).cloned().collect()
        };
        tasks.push(tokio::spawn(async move {
            let mut local = Vec::with_capacity(100_000);
            let mut n: usize = i * 7919;
            let mut target = i % args.targets.len();
            while !stop.load(Ordering::Relaxed) {
                n = n.wrapping_mul(1103515245).wrapping_add(12345);
                let to = &recipients[(n >> 8) % recipients.len()];
                let id = uuid::Uuid::now_v7();
                let base = &args.targets[target];
                let body = format!(
                    "csrf={}&id={id}&to={to}&amount={}&memo=bench",
                    enc(&session.csrf),
                    args.amount
                );
                if !args.paths.is_empty() {
                    let mut path = args.paths[(n >> 8) % args.paths.len()].clone();
                    if path.contains("{trade}") {
                        path = path.replace("{trade}", &own_trades[(n >> 4) % own_trades.len()]);
                    }
                    let t0 = Instant::now();
                    let result = request(&http, Method::GET, &format!("{base}/s/{}/{path}", args.slug), &session.cookie, None).await;
                    match result {
                        Ok(r) if r.status == StatusCode::OK => {
                            ok.fetch_add(1, Ordering::Relaxed);
                            local.push(t0.elapsed().as_micros() as u32);
                        }
                        _ => {
                            unknown.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    continue;
                }
                let t0 = Instant::now();
                let result = request(
                    &http,
                    Method::POST,
                    &format!("{base}/s/{}/credits/send/confirm", args.slug),
                    &session.cookie,
                    Some(body),
                )
                .await;
                let outcome = match &result {
                    Ok(r) if r.status == StatusCode::SEE_OTHER => {
                        ok.fetch_add(1, Ordering::Relaxed);
                        local.push(t0.elapsed().as_micros() as u32);
                        "ok"
                    }
                    Ok(r) if r.status == StatusCode::UNPROCESSABLE_ENTITY => {
                        refused.fetch_add(1, Ordering::Relaxed);
                        "refused"
                    }
                    _ => {
                        unknown.fetch_add(1, Ordering::Relaxed);
                        "unknown"
                    }
                };
                if let Some(log) = &log {
                    let line = format!("{id},{to},{outcome}\n");
                    let _ = log.lock().await.write_all(line.as_bytes()).await;
                }
                if outcome == "unknown" {
                    // The instance may be down or paused: try the other one shortly.
                    target = (target + 1) % args.targets.len();
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            latencies.lock().await.extend(local);
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(log) = &log {
        let _ = log.lock().await.flush().await;
    }
    let mut lat = latencies.lock().await.clone();
    if let Some(path) = &args.latencies {
        let lines: String = lat.iter().map(|l| format!("{l}\n")).collect();
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .await
            .expect("open --latencies");
        file.write_all(lines.as_bytes()).await.expect("write --latencies");
    }
    lat.sort_unstable();
    let pct = |p: f64| percentile(&lat, p);
    let done = ok.load(Ordering::Relaxed);
    let what = if args.paths.is_empty() { "transfers" } else { "pages" };
    println!("{what}_ok={done}");
    println!("{what}_refused={}", refused.load(Ordering::Relaxed));
    println!("{what}_unknown={}", unknown.load(Ordering::Relaxed));
    println!("seconds={elapsed:.1}");
    println!("{what}_per_second={:.1}", done as f64 / elapsed);
    println!("latency_p50_ms={:.2}", pct(0.50));
    println!("latency_p99_ms={:.2}", pct(0.99));
}
