//! The sign-in flood: many bad sign-ins at once, while a member signs in from elsewhere.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::Args;
use crate::http::{HttpClient, SignInError, sign_in_from};

/// N parallel bad sign-ins, each from its own address with a random email, while the first
/// member signs in from another address, honouring Retry-After. Prints the outcomes.
pub async fn flood(http: &HttpClient, args: &Args) {
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
