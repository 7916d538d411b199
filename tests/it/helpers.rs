//! The test harness: a fresh PostgreSQL database per test (cloned from a migrated
//! template, `database`), the app driven in-process, and a `Browser` that keeps cookies and
//! CSRF tokens the way a real one would (`browser`).

mod browser;
mod database;

use axum::Router;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tokio::sync::OnceCell;

use swapdesk::auth::model::PersonId;
use swapdesk::auth::{db as auth_db, password};
use swapdesk::spaces::db as spaces_db;
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};
use swapdesk::web::state::{AppState, Settings};

pub use browser::{Browser, Page, encode};
pub use database::{app_url_for, empty_database, fresh_database};

pub const PASSWORD: &str = "correct horse staple battery";
pub const BASE_URL: &str = "http://swapdesk.test";

pub fn settings() -> Settings {
    Settings {
        base_url: BASE_URL.to_owned(),
        cookie_secure: false,
        session_idle_secs: 12 * 3600,
        session_max_age_secs: 14 * 24 * 3600,
        trust_proxy: false,
        key: cookie::Key::derive_from(&[7u8; 32]),
        ledger_batch: Default::default(),
    }
}

/// One app instance on its own pool, connected as the app's role; `db` is the superuser's
/// pool, for setting up and checking behind the app's back.
pub struct TestApp {
    pub db: PgPool,
    pub url: String,
    pub state: AppState,
    pub router: Router,
}

impl TestApp {
    pub async fn new() -> Self {
        if std::env::var_os("TEST_LOG").is_some() {
            swapdesk::cli::init_logging(swapdesk::config::LogFormat::Pretty);
        }
        let url = fresh_database().await;
        Self::on(&url).await
    }

    /// Another instance on the same database, as behind a load balancer.
    pub async fn on(url: &str) -> Self {
        let db = PgPoolOptions::new()
            .max_connections(5)
            .connect(url)
            .await
            .unwrap();
        let database = url.rsplit_once('/').unwrap().1;
        let app_pool = PgPoolOptions::new()
            .max_connections(5)
            .connect(&app_url_for(database))
            .await
            .unwrap();
        let state = AppState::new(app_pool, settings());
        Self {
            db,
            url: url.to_owned(),
            router: swapdesk::web::app(state.clone()),
            state,
        }
    }

    /// The same instance with a changed state, e.g. a smaller hashing gate.
    pub fn reconfigure(&mut self, change: impl FnOnce(&mut AppState)) {
        change(&mut self.state);
        self.router = swapdesk::web::app(self.state.clone());
    }

    pub fn browser(&self) -> Browser {
        Browser::new(self.router.clone())
    }

    pub async fn space(&self, slug: &str, mode: SignupMode) -> SpaceId {
        let mut conn = self.db.acquire().await.unwrap();
        spaces_db::ensure_space(&mut conn, slug, &format!("Space {slug}"), mode)
            .await
            .unwrap()
            .0
    }

    /// A confirmed account with the standard test password.
    pub async fn person(&self, email: &str, name: &str) -> PersonId {
        static HASH: OnceCell<String> = OnceCell::const_new();
        let hash = HASH
            .get_or_init(|| async {
                password::hash(&swapdesk::web::gate::CpuGate::for_this_machine(), PASSWORD)
                    .await
                    .unwrap()
            })
            .await;
        let mut conn = self.db.acquire().await.unwrap();
        auth_db::create_person(&mut conn, email, name, Some(hash), true)
            .await
            .unwrap()
            .expect("email already taken")
    }

    pub async fn member(
        &self,
        space: SpaceId,
        email: &str,
        role: Role,
        status: Status,
    ) -> (PersonId, MembershipId) {
        let name = email.split('@').next().unwrap_or("someone").to_owned();
        let person = self.person(email, &capitalise(&name)).await;
        let mut conn = self.db.acquire().await.unwrap();
        let membership = spaces_db::add_membership(&mut conn, space, person, role, status)
            .await
            .unwrap()
            .unwrap();
        (person, membership)
    }

    /// A browser signed in as `email` (test password).
    pub async fn signed_in(&self, email: &str) -> Browser {
        let mut browser = self.browser();
        browser.sign_in(email, PASSWORD).await;
        browser
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.db).await.unwrap()
    }

    /// The newest email to an address, waiting briefly for emails sent after the response.
    pub async fn email_to(&self, to: &str) -> Option<(String, String)> {
        for _ in 0..100 {
            let found: Option<(String, String)> = sqlx::query_as(
                "select subject, body from email_outbox where to_address = $1 order by id desc limit 1",
            )
            .bind(to)
            .fetch_optional(&self.db)
            .await
            .unwrap();
            if found.is_some() {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        }
        None
    }

    /// The body of the newest email to an address with this subject, waiting briefly.
    pub async fn email_about(&self, to: &str, subject: &str) -> Option<String> {
        for _ in 0..100 {
            let found: Option<String> = sqlx::query_scalar(
                "select body from email_outbox where to_address = $1 and subject = $2
                 order by id desc limit 1",
            )
            .bind(to)
            .bind(subject)
            .fetch_optional(&self.db)
            .await
            .unwrap();
            if found.is_some() {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        }
        None
    }

    pub async fn emails_to(&self, to: &str) -> i64 {
        sqlx::query_scalar("select count(*) from email_outbox where to_address = $1")
            .bind(to)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The path of the first link to this app in an email body.
pub fn link_in(body: &str) -> String {
    let start = body.find(BASE_URL).expect("no link in the email");
    let rest = &body[start + BASE_URL.len()..];
    rest.split_whitespace().next().unwrap_or("").to_owned()
}

pub fn sha256(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}
