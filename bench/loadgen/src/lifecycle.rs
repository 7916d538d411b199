//! Trade life cycles through HTTP: each client is a pair of members who propose, accept,
//! deliver and confirm a trade, over and over, swapping who pays each time so neither
//! runs out of credit. Every step is the form a browser would post, with its CSRF token.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hyper::{Method, StatusCode};
use tokio::sync::Mutex;

use crate::http::{HttpClient, Session, enc, request, sign_in_patiently};
use crate::{Args, percentile};

/// One member of a pair: signed in, and known to the other by membership id.
struct Side {
    session: Session,
    membership: String,
}

pub async fn run(http: &HttpClient, args: Arc<Args>) {
    let base = args.targets[0].clone();
    let mut pairs = Vec::new();
    for (a, b) in args.pairs.iter().take(args.clients) {
        let mut sides = Vec::new();
        for (email, membership) in [a, b] {
            let session = sign_in_patiently(http, &base, &args.slug, email, &args.password)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            sides.push(Side {
                session,
                membership: membership.clone(),
            });
        }
        pairs.push(sides);
    }
    eprintln!("{} pairs signed in", pairs.len());

    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let latencies = Arc::new(Mutex::new(Vec::<u32>::new()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for sides in pairs {
        let (http, args, base) = (http.clone(), args.clone(), base.clone());
        let (ok, failed, stop, latencies) = (ok.clone(), failed.clone(), stop.clone(), latencies.clone());
        tasks.push(tokio::spawn(async move {
            let mut local = Vec::with_capacity(10_000);
            let mut n: usize = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let (payer, payee) = if n % 2 == 0 { (&sides[0], &sides[1]) } else { (&sides[1], &sides[0]) };
                let t0 = Instant::now();
                match one_trade(&http, &base, &args, payer, payee, n).await {
                    Ok(()) => {
                        ok.fetch_add(1, Ordering::Relaxed);
                        local.push(t0.elapsed().as_micros() as u32);
                    }
                    Err(e) => {
                        if failed.fetch_add(1, Ordering::Relaxed) < 5 {
                            eprintln!("life cycle failed: {e}");
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
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
    let mut lat = latencies.lock().await.clone();
    lat.sort_unstable();
    let done = ok.load(Ordering::Relaxed);
    println!("lifecycles_ok={done}");
    println!("lifecycles_failed={}", failed.load(Ordering::Relaxed));
    println!("seconds={elapsed:.1}");
    println!("trade_actions_per_second={:.1}", 4.0 * done as f64 / elapsed);
    println!("lifecycle_latency_p50_ms={:.2}", percentile(&lat, 0.50));
    println!("lifecycle_latency_p99_ms={:.2}", percentile(&lat, 0.99));
    println!("trade_lifecycles_per_second={:.1}", done as f64 / elapsed);
}

/// Propose (the payer asks the payee to do the work), accept, deliver, confirm.
async fn one_trade(
    http: &HttpClient,
    base: &str,
    args: &Args,
    payer: &Side,
    payee: &Side,
    n: usize,
) -> Result<(), String> {
    let proposal = format!(
        "csrf={}&with={}&direction=they&description={}&amount={}&due_on=",
        enc(&payer.session.csrf),
        payee.membership,
        enc(&format!("Bench trade {n}: an hour of help")),
        args.amount
    );
    let made = post(http, &format!("{base}/s/{}/trades", args.slug), &payer.session, proposal).await?;
    let trade = made.ok_or("the proposal did not lead to its trade")?;
    for (side, action) in [(payee, "accept"), (payee, "deliver"), (payer, "confirm")] {
        let form = format!("csrf={}&action={action}", enc(&side.session.csrf));
        post(http, &format!("{base}{trade}/act"), &side.session, form)
            .await
            .map_err(|e| format!("{action}: {e}"))?;
    }
    Ok(())
}

/// Posts a form; Ok with where it redirects to, Err unless it redirects.
async fn post(http: &HttpClient, url: &str, session: &Session, form: String) -> Result<Option<String>, String> {
    let reply = request(http, Method::POST, url, &session.cookie, Some(form)).await?;
    if reply.status != StatusCode::SEE_OTHER {
        let snippet: String = reply.body.chars().take(300).collect();
        return Err(format!("{}: {snippet}", reply.status));
    }
    Ok(reply.location)
}
