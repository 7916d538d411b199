//! Drives signed-in "Send credits" confirmations against one or more Swapdesk instances:
//! each client signs in as its own member, reads its CSRF token, and posts transfers with a
//! fresh UUID v7 each, as the browser form would. Prints throughput and latency; with
//! --log, records every request's id and outcome for the fault run to resolve.
//!
//! usage: swapdesk-loadgen --targets URL[,URL] --slug SLUG --emails FILE --password PW
//!            [--clients 16] [--seconds 30] [--hot N] [--log FILE] [--amount 1]
//!        swapdesk-loadgen --flood N --targets URL --emails FILE --password PW
//!            (N parallel bad sign-ins from N addresses, named in X-Forwarded-For, while the
//!            first member signs in from another address; needs TRUST_PROXY on the app)

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
    /// Parallel bad sign-ins to send instead (0: no flood).
    flood: usize,
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
        flood,
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
    /// Every cookie the response set, as name=value.
    cookies: Vec<String>,
    retry_after: Option<u64>,
    body: String,
}

impl Reply {
    fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|c| c.split('=').next() == Some(name))
            .map(String::as_str)
    }
}

async fn request(
    http: &HttpClient,
    method: Method,
    url: &str,
    cookie: &str,
    form: Option<String>,
) -> Result<Reply, String> {
    request_from(http, method, url, cookie, form, None).await
}

/// As `request`, claiming to come from `from` (X-Forwarded-For; the app must trust it).
async fn request_from(
    http: &HttpClient,
    method: Method,
    url: &str,
    cookie: &str,
    form: Option<String>,
    from: Option<&str>,
) -> Result<Reply, String> {
    let mut builder = Request::builder().method(method).uri(url);
    if !cookie.is_empty() {
        builder = builder.header("cookie", cookie);
    }
    if let Some(from) = from {
        builder = builder.header("x-forwarded-for", from);
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
    let cookies = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let bytes = tokio::time::timeout(Duration::from_secs(10), resp.into_body().collect())
        .await
        .map_err(|_| "timeout".to_owned())?
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(Reply {
        status,
        cookies,
        retry_after,
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

/// Why a sign-in did not go through.
enum SignInError {
    /// The app asked us to come back after this many seconds (429 or 503).
    RetryAfter(u64),
    Failed(String),
}

impl From<String> for SignInError {
    fn from(e: String) -> Self {
        SignInError::Failed(e)
    }
}

/// Signs in as a browser would: the form's anonymous CSRF cookie and token, then the post.
async fn sign_in_from(
    http: &HttpClient,
    base: &str,
    email: &str,
    password: &str,
    from: Option<&str>,
) -> Result<String, SignInError> {
    let form = request_from(http, Method::GET, &format!("{base}/signin"), "", None, from).await?;
    let cookie = form.cookies.join("; ");
    let csrf = csrf_in(&form.body).ok_or("no csrf on sign-in".to_owned())?;
    let body = format!("csrf={}&email={}&password={}&next=%2F", enc(&csrf), enc(email), enc(password));
    let done = request_from(http, Method::POST, &format!("{base}/signin"), &cookie, Some(body), from).await?;
    if let (StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE, Some(secs)) =
        (done.status, done.retry_after)
    {
        return Err(SignInError::RetryAfter(secs));
    }
    if done.status != StatusCode::SEE_OTHER {
        return Err(SignInError::Failed(format!("sign-in as {email} failed: {}", done.status)));
    }
    let session = done.cookie("swapdesk_session").ok_or("no session cookie".to_owned())?;
    Ok(session.to_owned())
}

async fn sign_in(http: &HttpClient, base: &str, slug: &str, email: &str, password: &str) -> Result<Session, SignInError> {
    let cookie = sign_in_from(http, base, email, password, None).await?;
    let page = request(http, Method::GET, &format!("{base}/s/{slug}/credits/send"), &cookie, None).await?;
    let csrf = csrf_in(&page.body).ok_or("no csrf on send form".to_owned())?;
    Ok(Session {
        cookie,
        csrf,
        members: members_in(&page.body),
    })
}

/// N parallel bad sign-ins, each from its own address with a random email, while the first
/// member signs in from another address, honouring Retry-After. Prints the outcomes.
async fn flood(http: &HttpClient, args: &Args) {
    let base = args.targets[0].clone();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..args.flood {
        let (http, base) = (http.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let from = format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255);
            let email = format!("nobody-{}@flood.example", uuid::Uuid::now_v7().simple());
            match sign_in_from(&http, &base, &email, "not the password at all", Some(&from)).await {
                Err(SignInError::RetryAfter(_)) => "busy",
                Err(SignInError::Failed(e)) if e.contains("422") => "refused",
                Err(SignInError::Failed(_)) => "error",
                Ok(_) => "signed_in",
            }
        }));
    }
    // The member arrives just after the flood, from an address of their own.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let email = args.emails[0].clone();
    let mut tries = 0;
    let good = loop {
        tries += 1;
        match sign_in_from(http, &base, &email, &args.password, Some("192.0.2.77")).await {
            Ok(_) => break "yes",
            Err(SignInError::RetryAfter(secs)) if tries < 50 => {
                tokio::time::sleep(Duration::from_secs(secs.max(1))).await;
            }
            Err(_) => break "no",
        }
    };
    let good_secs = started.elapsed().as_secs_f64();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for t in tasks {
        *counts.entry(t.await.unwrap_or("error")).or_default() += 1;
    }
    for outcome in ["refused", "busy", "error", "signed_in"] {
        println!("flood_{outcome}={}", counts.get(outcome).copied().unwrap_or(0));
    }
    println!("flood_seconds={:.1}", started.elapsed().as_secs_f64());
    println!("good_signin_succeeded={good}");
    println!("good_signin_tries={tries}");
    println!("good_signin_seconds={good_secs:.1}");
}

#[tokio::main]
async fn main() {
    let args = Arc::new(args());
    let http: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(64)
        .build_http();
    if args.flood > 0 {
        flood(&http, &args).await;
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
        let mut tries = 0;
        loop {
            match sign_in(&http, base, &args.slug, email, &args.password).await {
                Ok(s) => break sessions.push(s),
                // Busy or slowed down: come back when the app says.
                Err(SignInError::RetryAfter(secs)) if tries < 20 => {
                    tries += 1;
                    eprintln!("sign-in retry after {secs}s");
                    tokio::time::sleep(Duration::from_secs(secs.max(1))).await;
                }
                Err(SignInError::Failed(e)) if tries < 20 => {
                    tries += 1;
                    eprintln!("sign-in retry ({e})");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(SignInError::RetryAfter(secs)) => panic!("still busy after 20 tries ({secs}s)"),
                Err(SignInError::Failed(e)) => panic!("{e}"),
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
