//! Finding the browser and the checkers. `.ci/run` installs them: Debian's chromium and
//! chromium-driver, Java, and the npm packages pinned in tests/browser-tools/.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    pub java: PathBuf,
    pub node: PathBuf,
    /// tests/browser-tools/node_modules
    pub node_modules: PathBuf,
}

impl Tools {
    pub fn axe(&self) -> PathBuf {
        self.node_modules.join("axe-core/axe.min.js")
    }

    pub fn vnu(&self) -> PathBuf {
        self.node_modules.join("vnu-jar/build/dist/vnu.jar")
    }

    pub fn lighthouse(&self) -> PathBuf {
        self.node_modules.join("lighthouse/cli/index.js")
    }
}

/// The folder for what the browser tests leave to look at: `target/<what>/` of the checkout.
pub fn output_dir(what: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(what)
}

/// The tools, or `None` (after saying why) when some are missing outside CI. Under
/// `CI=true` a missing tool fails the test: CI must never pass by skipping.
pub fn find(test: &str) -> Option<&'static Tools> {
    static FOUND: OnceLock<Result<Tools, Vec<String>>> = OnceLock::new();
    match FOUND.get_or_init(look) {
        Ok(tools) => Some(tools),
        Err(missing) => {
            let missing = missing.join(", ");
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{test}: the browser tests need {missing}; .ci/run installs them");
            }
            eprintln!(
                "SKIPPED browser test {test}: missing {missing}. Install them as .ci/run does \
                 (see README, \"Browser tests\")."
            );
            None
        }
    }
}

fn look() -> Result<Tools, Vec<String>> {
    let mut missing = Vec::new();
    let mut need = |found: Option<PathBuf>, what: &str| {
        if found.is_none() {
            missing.push(what.to_owned());
        }
        found.unwrap_or_default()
    };
    let chromium = need(
        existing(PathBuf::from("/usr/bin/chromium")).or_else(|| on_path("chromium")),
        "chromium",
    );
    let chromedriver = need(on_path("chromedriver"), "chromedriver (chromium-driver)");
    let java = need(on_path("java"), "java");
    let node = need(on_path("node"), "node");
    let node_modules =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser-tools/node_modules");
    let tools = Tools {
        chromium,
        chromedriver,
        java,
        node,
        node_modules,
    };
    for (file, package) in [
        (tools.axe(), "axe-core"),
        (tools.vnu(), "vnu-jar"),
        (tools.lighthouse(), "lighthouse"),
    ] {
        if !file.is_file() {
            missing.push(format!("the npm package {package} in tests/browser-tools"));
        }
    }
    if missing.is_empty() {
        Ok(tools)
    } else {
        Err(missing)
    }
}

fn existing(path: PathBuf) -> Option<PathBuf> {
    path.is_file().then_some(path)
}

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| existing(dir.join(program)))
}
