//! chromedriver and the Chromium sessions it runs. One chromedriver at a time (the journeys
//! take turns), on a free port, ended with everything it started when its journey ends,
//! even by a panic.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::ChildStdout;

use super::tools::Tools;

/// The flags STACK.md settled on: headless as root, no shared memory, a fresh profile, and
/// nothing that reaches past this machine.
pub fn chromium_flags(profile: &Path) -> Vec<String> {
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
        "--window-size=1280,900",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

pub struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    /// Starts chromedriver and returns once it says it listens.
    pub async fn start(tools: &Tools) -> Self {
        let port = free_port();
        let mut child = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver did not start");
        let stdout = ChildStdout::from_std(child.stdout.take().unwrap()).unwrap();
        let mut lines = BufReader::new(stdout).lines();
        loop {
            let line = lines.next_line().await.unwrap().unwrap_or_else(|| {
                panic!("chromedriver stopped before it listened on port {port}")
            });
            if line.contains("started successfully") {
                break;
            }
        }
        // Chromium writes to the same pipe; a full pipe would stall it.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self { child, port }
    }

    /// A new Chromium window with a profile of its own.
    pub async fn session(&self, tools: &Tools, profile: &Path) -> Client {
        let options = json!({
            "binary": tools.chromium,
            "args": chromium_flags(profile),
        });
        let capabilities = serde_json::Map::from_iter([
            ("browserName".to_owned(), json!("chrome")),
            ("goog:chromeOptions".to_owned(), options),
        ]);
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("chromedriver could not start Chromium")
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // /shutdown makes chromedriver quit every browser it started, then exit; killing it
        // instead would leave Chromium running. It answers before it is done, so give it
        // time to finish (this runs after a failed step too, when a window is still open).
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let request = format!(
                "GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
                self.port
            );
            let _ = stream.write_all(request.as_bytes());
            let _ = stream.read_to_end(&mut Vec::new());
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
