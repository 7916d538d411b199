//! What every journey checks: axe-core on each page it looks at, screenshots at a phone's
//! and a desktop's width, and the Nu HTML checker over every page the server sent.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use super::Journey;
use super::server::Sent;
use super::tools::{Tools, output_dir};

/// A phone (an iPhone's 390 CSS pixels) and a desktop.
const WIDTHS: [u32; 2] = [390, 1280];
const HEIGHT: u32 = 900;
/// Long pages are cut here rather than making huge files.
const MAX_HEIGHT: u32 = 4000;

/// axe runs inside the page, brought in by WebDriver: the CSP forbids the page's own
/// scripts, but not the driver's. Every rule axe runs by default, and the ones it leaves
/// off that Lighthouse turns on, WCAG 2.2's target size among them.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
const rules = {
  "target-size": { enabled: true },
  "identical-links-same-purpose": { enabled: true },
  "label-content-name-mismatch": { enabled: true },
};
axe.run(document, { resultTypes: ["violations"], rules }).then(
  (r) => done(r.violations.map((v) => ({
    id: v.id,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }))),
  (e) => done({ error: String(e) }),
);
"#;

pub fn clear_screenshots(journey: &str) {
    let _ = std::fs::remove_dir_all(output_dir("screenshots").join(journey));
}

impl Journey {
    /// Checks the page as it stands with axe-core at both widths, and keeps a screenshot of
    /// each. Call it once the page shows what the step expects.
    pub async fn check(&mut self, step: &str) {
        self.checked += 1;
        let folder = output_dir("screenshots").join(self.name);
        std::fs::create_dir_all(&folder).unwrap();
        let url = self.client.current_url().await.unwrap();
        let mut found = String::new();
        for width in WIDTHS {
            self.client.set_window_size(width, HEIGHT).await.unwrap();
            for v in self.axe().await {
                let _ = writeln!(found, "  {} at {width} px: {v}", url.path());
            }
            self.screenshot(&folder, step, width).await;
        }
        self.client
            .set_window_size(WIDTHS[1], HEIGHT)
            .await
            .unwrap();
        assert!(
            found.is_empty(),
            "{}: axe-core found problems on \"{step}\":\n{found}",
            self.name
        );
    }

    /// Each violation as "rule-id (what it asks) at css-target, css-target".
    async fn axe(&self) -> Vec<String> {
        static SOURCE: OnceLock<String> = OnceLock::new();
        let source = SOURCE.get_or_init(|| std::fs::read_to_string(self.tools.axe()).unwrap());
        // Each page is a fresh document, so axe comes in again on each.
        let loaded = self
            .client
            .execute(&format!("{source}\nreturn typeof axe;"), vec![])
            .await
            .unwrap();
        assert_eq!(loaded, "object", "axe-core did not load into the page");
        let result = self.client.execute_async(RUN_AXE, vec![]).await.unwrap();
        if let Some(error) = result.get("error") {
            panic!("axe-core failed: {error}");
        }
        let Value::Array(violations) = result else {
            panic!("axe-core answered {result}");
        };
        violations
            .iter()
            .map(|v| {
                let targets: Vec<&str> = v["targets"]
                    .as_array()
                    .map(|t| t.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                format!("{} ({}) at {}", v["id"], v["help"], targets.join(", "))
            })
            .collect()
    }

    async fn screenshot(&mut self, folder: &std::path::Path, step: &str, width: u32) {
        // The whole page, up to a limit: the window is the page's height plus whatever the
        // browser keeps for itself, even headless.
        let sizes = self
            .client
            .execute(
                "return [document.documentElement.scrollHeight, \
                         window.outerHeight - window.innerHeight];",
                vec![],
            )
            .await
            .unwrap();
        let px = |i: usize| sizes[i].as_u64().and_then(|v| u32::try_from(v).ok());
        let height = (px(0).unwrap_or(HEIGHT) + px(1).unwrap_or(0)).clamp(HEIGHT, MAX_HEIGHT);
        self.client.set_window_size(width, height).await.unwrap();
        let png = self.client.screenshot().await.unwrap();
        let file = folder.join(format!("{:02}-{}-{width}.png", self.checked, slug(step)));
        std::fs::write(file, png).unwrap();
    }
}

/// Runs the Nu HTML checker once over every page, saved as sent. Any error fails the test,
/// naming the request that got the page.
pub async fn validate_html(tools: &Tools, journey: &str, pages: &[Sent]) {
    assert!(!pages.is_empty(), "{journey}: the server sent no HTML page");
    let folder = output_dir("html").join(journey);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut index = String::new();
    for (n, page) in pages.iter().enumerate() {
        let file = folder.join(format!("{:02}.html", n + 1));
        std::fs::write(&file, &page.html).unwrap();
        let _ = writeln!(index, "{:02}.html  {}", n + 1, page.request);
        files.push(file);
    }
    std::fs::write(folder.join("index.txt"), &index).unwrap();
    let output = tokio::process::Command::new(&tools.java)
        .arg("-jar")
        .arg(tools.vnu())
        .args(["--errors-only", "--format", "gnu"])
        .args(&files)
        .output()
        .await
        .unwrap();
    let report = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "{journey}: the Nu HTML checker found errors (pages in {}):\n{index}\n{report}",
        folder.display()
    );
}

fn slug(step: &str) -> String {
    let mut out = String::new();
    for c in step.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}
