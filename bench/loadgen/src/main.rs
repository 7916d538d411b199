//! Drives signed-in "Send credits" confirmations against one or more Swapdesk instances:
//! each client signs in as its own member, reads its CSRF token, and posts transfers with a
//! fresh UUID v7 each, as the browser form would. Prints throughput and latency; with
//! --log, records every request's id and outcome for the fault run to resolve.
//!
//! usage: swapdesk-loadgen --targets URL[,URL] --slug SLUG --emails FILE --password PW
//!            [--clients 16] [--seconds 30] [--hot N] [--log FILE] [--amount 1]

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::io::AsyncWriteExt;
use tokio::sync::Mutex;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

struct Args {
    targets: Vec<String>,
    slug: String,
    emails: Vec<String>,
    password: String,
    clients: usize,
    seconds: u64,
    hot: usize,
    log: Option<String>,
    amount: String,
    /// GET these paths (one per line, under /s/SLUG) instead of posting transfers.
    paths: Vec<String>,
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
    let emails_file = get("emails", "");
    let emails = std::fs::read_to_string(&emails_file)
        .unwrap_or_else(|e| panic!("cannot read --emails {emails_file}: {e}"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
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
        amount: get("amount", "0.01"),
        paths: map
            .get("paths")
            .map(|f| {
                std::fs::read_to_string(f)
                    .unwrap_or_else(|e| panic!("cannot read --paths {f}: {e}"))
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

struct Session {
    cookie: String,
    csrf: String,
    members: Vec<String>,
}

struct Reply {
    status: StatusCode,
    set_cookie: Option<String>,
    body: String,
}

async fn request(
    http: &HttpClient,
    method: Method,
    url: &str,
    cookie: &str,
    form: Option<String>,
) -> Result<Reply, String> {
    let mut builder = Request::builder().method(method).uri(url);
    if !cookie.is_empty() {
        builder = builder.header("cookie", cookie);
    }
    let body = match form {
        Some(f) => {
            builder = builder.header("content-type", "application/x-www-form-urlencoded");
            Full::new(Bytes::from(f))
        }
        None => Full::new(Bytes::new()),
    };
    let req = builder.body(body).map_err(|e| e.to_string())?;
    let resp = tokio::time::timeout(Duration::from_secs(10), http.request(req))
        .await
        .map_err(|_| "timeout".to_owned())?
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let set_cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("swapdesk_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    let bytes = tokio::time::timeout(Duration::from_secs(10), resp.into_body().collect())
        .await
        .map_err(|_| "timeout".to_owned())?
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(Reply {
        status,
        set_cookie,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

fn csrf_in(body: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_owned())
}

/// The member ids offered by the send form's <select>.
fn members_in(body: &str) -> Vec<String> {
    body.split("<option value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn sign_in(http: &HttpClient, base: &str, slug: &str, email: &str, password: &str) -> Result<Session, String> {
    let form = request(http, Method::GET, &format!("{base}/signin"), "", None).await?;
    let cookie = form.set_cookie.ok_or("no session cookie")?;
    let csrf = csrf_in(&form.body).ok_or("no csrf on sign-in")?;
    let body = format!("csrf={}&email={}&password={}&next=%2F", enc(&csrf), enc(email), enc(password));
    let done = request(http, Method::POST, &format!("{base}/signin"), &cookie, Some(body)).await?;
    if done.status != StatusCode::SEE_OTHER {
        return Err(format!("sign-in as {email} failed: {}", done.status));
    }
    let cookie = done.set_cookie.ok_or("no rotated cookie")?;
    let page = request(http, Method::GET, &format!("{base}/s/{slug}/credits/send"), &cookie, None).await?;
    let csrf = csrf_in(&page.body).ok_or("no csrf on send form")?;
    Ok(Session {
        cookie,
        csrf,
        members: members_in(&page.body),
    })
}

#[tokio::main]
async fn main() {
    let args = Arc::new(args());
    let http: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(64)
        .build_http();
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
        let mut tries = 0;
        loop {
            match sign_in(&http, base, &args.slug, email, &args.password).await {
                Ok(s) => break sessions.push(s),
                Err(e) if tries < 20 => {
                    tries += 1;
                    eprintln!("sign-in retry ({e})");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
    let everyone: Vec<String> = sessions.first().map(|s| s.members.clone()).unwrap_or_default();
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
    for (i, session) in sessions.into_iter().enumerate() {
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
                    let path = &args.paths[(n >> 8) % args.paths.len()];
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
    lat.sort_unstable();
    let pct = |p: f64| {
        if lat.is_empty() {
            0.0
        } else {
            lat[((lat.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0
        }
    };
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
