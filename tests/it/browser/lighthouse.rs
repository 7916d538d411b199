//! Lighthouse, as a newcomer's browser would run it: 100 for accessibility and best
//! practices on the public pages and a signed-in one, and 100 for SEO on the public pages.
//! Signed-in pages are `noindex` by design, so SEO does not apply to them.

use std::fmt::Write as _;

use serde_json::Value;
use swapdesk::skills::db as skills_db;
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::server::Server;
use super::tools::{self, Tools, output_dir};
use crate::helpers::TestApp;

const ALL: &[&str] = &["accessibility", "best-practices", "seo"];
const NOT_SEO: &[&str] = &["accessibility", "best-practices"];

#[tokio::test]
async fn lighthouse_scores_100_on_public_and_signed_in_pages() {
    let mut app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let design = skills_db::create_category(&app.db, space, "Design")
        .await
        .unwrap()
        .unwrap();
    let (_, ana) = app
        .member(space, "ana@example.org", Role::Member, Status::Active)
        .await;
    skills_db::add_skill(
        &app.db,
        space,
        ana,
        design,
        "Logo design",
        swapdesk::skills::model::Level::Expert,
        "",
    )
    .await
    .unwrap();
    let Some(tools) = tools::find("lighthouse") else {
        return;
    };
    let _turn = super::take_turn().await;
    let server = Server::start(&mut app).await;
    let session = app.signed_in("ana@example.org").await.session().unwrap();
    let cookie = format!("swapdesk_session={session}");

    let pages: [(&str, &str, Option<&str>, &[&str]); 3] = [
        ("landing", "/", None, ALL),
        ("signin", "/signin", None, ALL),
        ("directory", "/s/harbour/directory", Some(&cookie), NOT_SEO),
    ];
    let mut failures = String::new();
    let mut scores = String::new();
    for (name, path, cookie, required) in pages {
        let report = run(tools, name, &format!("{}{path}", server.url), cookie).await;
        let _ = write!(scores, "\n  {path}:");
        for category in ALL {
            let score = report["categories"][category]["score"]
                .as_f64()
                .unwrap_or(0.0);
            let _ = write!(scores, " {category} {}", (score * 100.0).round());
            if required.contains(category) && score < 1.0 {
                let _ = writeln!(
                    failures,
                    "{path} scores {} for {category}: {}",
                    (score * 100.0).round(),
                    failing_audits(&report, category).join("; ")
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "Lighthouse (reports in {}):\n{failures}\nScores:{scores}",
        output_dir("lighthouse").display()
    );
}

/// Runs Lighthouse on one page with Debian's Chromium and returns its JSON report, also
/// kept in target/lighthouse/ for reading.
async fn run(tools: &Tools, name: &str, url: &str, cookie: Option<&str>) -> Value {
    let folder = output_dir("lighthouse");
    std::fs::create_dir_all(&folder).unwrap();
    let report = folder.join(format!("{name}.json"));
    let mut command = tokio::process::Command::new(&tools.node);
    command
        .arg(tools.lighthouse())
        .arg(url)
        .arg("--quiet")
        .arg("--output=json")
        .arg(format!("--output-path={}", report.display()))
        .arg("--only-categories=accessibility,best-practices,seo")
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage")
        .env("CHROME_PATH", &tools.chromium)
        .kill_on_drop(true);
    if let Some(cookie) = cookie {
        command.arg(format!(
            "--extra-headers={}",
            serde_json::json!({ "Cookie": cookie })
        ));
    }
    let output = command.output().await.unwrap();
    assert!(
        output.status.success(),
        "Lighthouse failed on {url}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap()
}

/// The audits of a category that did not pass, with what Lighthouse says about each.
fn failing_audits(report: &Value, category: &str) -> Vec<String> {
    let refs = report["categories"][category]["auditRefs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    refs.iter()
        .filter(|r| r["weight"].as_f64().unwrap_or(0.0) > 0.0)
        .filter_map(|r| {
            let audit = &report["audits"][r["id"].as_str()?];
            let score = audit["score"].as_f64()?;
            (score < 1.0).then(|| {
                format!(
                    "{} ({}) {}",
                    r["id"],
                    audit["title"].as_str().unwrap_or(""),
                    audit["explanation"].as_str().unwrap_or("")
                )
            })
        })
        .collect()
}
