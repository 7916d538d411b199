//! Journeys in a real browser: Debian's Chromium driven through chromedriver (WebDriver)
//! against the app on a real socket. A journey finds fields by their labels and buttons by
//! their names, as a person would; every page it checks passes axe-core and gets a
//! screenshot at a phone's and a desktop's width, and every page the server sent it passes
//! the Nu HTML checker.
//!
//! A new journey is a file here with one test:
//!
//! ```ignore
//! let Some(mut j) = Journey::start("name", app).await else { return };
//! j.visit("/signin").await;
//! j.fill("Email address", "ana@example.org").await;
//! j.press("Sign in").await;
//! j.check("after signing in").await;
//! j.finish().await;
//! ```
//!
//! Journeys take turns (one chromedriver, one Chromium), so they neither race nor crowd a
//! small machine. Outside CI, a machine without the tools skips them and says so.

mod checks;
mod driver;
mod person;
mod server;
mod tools;

mod admin_ledger;
mod admin_members;
mod apply_and_onboard;
mod approve_applicant;
mod book_room;
mod directory_typo;
mod edit_profile;
mod join_and_sign_in;
mod lighthouse;
mod moderate_and_leave;
mod send_credits;
mod trade_offer;

use fantoccini::Client;
use tokio::sync::{Mutex, MutexGuard};

use crate::helpers::{PASSWORD, TestApp};
use driver::Chromedriver;
use server::Server;
use tools::Tools;

/// Held for the whole of a browser test.
static TURN: Mutex<()> = Mutex::const_new(());

async fn take_turn() -> MutexGuard<'static, ()> {
    TURN.lock().await
}

pub struct Journey {
    pub app: TestApp,
    name: &'static str,
    server: Server,
    client: Client,
    tools: &'static Tools,
    /// Numbers the screenshots in the order taken.
    checked: usize,
    // Dropped in this order: the browser and its driver, its profile, then the turn.
    _driver: Chromedriver,
    _profile: tempfile::TempDir,
    _turn: MutexGuard<'static, ()>,
}

impl Journey {
    /// Serves `app` and opens a browser on it, or `None` outside CI without the tools.
    pub async fn start(name: &'static str, mut app: TestApp) -> Option<Self> {
        let tools = tools::find(name)?;
        let turn = take_turn().await;
        let server = Server::start(&mut app).await;
        let profile = tempfile::tempdir().unwrap();
        let driver = Chromedriver::start(tools).await;
        let client = driver.session(tools, profile.path()).await;
        checks::clear_screenshots(name);
        Some(Self {
            app,
            name,
            server,
            client,
            tools,
            checked: 0,
            _driver: driver,
            _profile: profile,
            _turn: turn,
        })
    }

    /// Opens a path of the app, as from the address bar or a link in an email.
    pub async fn visit(&self, path: &str) {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.server.url)
        };
        self.client.goto(&url).await.unwrap();
    }

    /// Signs in through the sign-in page with the test password, and waits until the page
    /// shows `name`'s menu.
    pub async fn sign_in(&self, email: &str, name: &str) {
        self.visit("/signin").await;
        self.fill("Email address", email).await;
        self.fill("Password", PASSWORD).await;
        self.press("Sign in").await;
        self.find_named("button", &format!("Menu for {name}")).await;
    }

    /// Signs out through the menu, as a person would.
    pub async fn sign_out(&self, name: &str) {
        self.press(&format!("Menu for {name}")).await;
        self.press(&format!("Sign out {name}")).await;
        self.heading("Sign in").await;
    }

    /// The first link to this app in the newest email to `to` about `subject`.
    pub async fn emailed_link(&self, to: &str, subject: &str) -> String {
        let body = self
            .app
            .email_about(to, subject)
            .await
            .unwrap_or_else(|| panic!("no email to {to} about {subject:?}"));
        body.split_whitespace()
            .find(|word| word.starts_with(&self.server.url))
            .unwrap_or_else(|| panic!("no link in the email: {body}"))
            .to_owned()
    }

    /// Validates every page the server sent this journey, then closes the browser.
    pub async fn finish(self) {
        let pages = self.server.take_pages();
        checks::validate_html(self.tools, self.name, &pages).await;
        self.client.close().await.unwrap();
    }
}
