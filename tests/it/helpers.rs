//! The test harness: a fresh PostgreSQL database per test (cloned from a migrated
//! template), the app driven in-process, and a `Browser` that keeps cookies and CSRF tokens
//! the way a real one would.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};
use tokio::sync::OnceCell;
use tower::ServiceExt;

use swapdesk::auth::model::PersonId;
use swapdesk::auth::{db as auth_db, password};
use swapdesk::spaces::db as spaces_db;
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};
use swapdesk::web::state::{AppState, Settings};

pub const PASSWORD: &str = "correct horse staple battery";
pub const BASE_URL: &str = "http://swapdesk.test";

fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn url_for(database: &str) -> String {
    let server = server_url();
    let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server);
    format!("{base}/{database}")
}

/// The same database as the app's own role (least privilege), not the superuser.
fn app_url_for(database: &str) -> String {
    let url = url_for(database);
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{}@{host}", swapdesk::db::APP_ROLE)
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// A migrated template database, made once per run (and per set of migrations).
async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let mut hasher = Sha256::new();
            for m in swapdesk::db::MIGRATOR.iter() {
                hasher.update(&m.checksum);
            }
            let digest = hasher.finalize();
            let name = format!(
                "swapdesk_tpl_{}",
                digest[..6]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            );
            let mut admin = PgConnection::connect(&server_url())
                .await
                .expect("tests need PostgreSQL: set TEST_DATABASE_URL or run it on 127.0.0.1:5432");
            // Several test processes may start at once; one of them builds the template.
            sqlx::query("select pg_advisory_lock(7210001)")
                .execute(&mut admin)
                .await
                .unwrap();
            // Roles belong to the whole server: made once, whoever comes first.
            sqlx::query(
                "do $$ begin
                     if not exists (select 1 from pg_roles where rolname = 'swapdesk_app') then
                         create role swapdesk_app login;
                     end if;
                     alter role swapdesk_app login;
                 end $$",
            )
            .execute(&mut admin)
            .await
            .unwrap();
            // Leftovers of earlier runs, cleared once they are old: another run (say, in a
            // second checkout with other migrations) may be using its own right now.
            let stale: Vec<String> = sqlx::query_scalar(
                "select datname from pg_database,
                        lateral (select coalesce(substring(shobj_description(oid, 'pg_database')
                                                 from '^made ([0-9]+)$')::bigint, 0) as made) m
                 where (datname like 'swapdesk_test_%' and m.made < extract(epoch from now()) - 600)
                    or (datname like 'swapdesk_tpl_%' and datname <> $1
                        and m.made < extract(epoch from now()) - 3600)",
            )
            .bind(&name)
            .fetch_all(&mut admin)
            .await
            .unwrap();
            for db in stale {
                // Leftovers of earlier runs; a database in use by a concurrent run survives.
                let _ = sqlx::query(&format!("drop database if exists \"{db}\""))
                    .execute(&mut admin)
                    .await;
            }
            let exists: bool =
                sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                    .bind(&name)
                    .fetch_one(&mut admin)
                    .await
                    .unwrap();
            if !exists {
                let building = format!("{name}_building");
                sqlx::query(&format!("drop database if exists \"{building}\""))
                    .execute(&mut admin)
                    .await
                    .unwrap();
                sqlx::query(&format!("create database \"{building}\""))
                    .execute(&mut admin)
                    .await
                    .unwrap();
                let owner = PgPoolOptions::new()
                    .max_connections(1)
                    .connect(&url_for(&building))
                    .await
                    .unwrap();
                swapdesk::db::migrate(&owner).await.unwrap();
                owner.close().await;
                sqlx::query(&format!(
                    "alter database \"{building}\" rename to \"{name}\""
                ))
                .execute(&mut admin)
                .await
                .unwrap();
                stamp(&mut admin, &name).await;
            }
            sqlx::query("select pg_advisory_unlock(7210001)")
                .execute(&mut admin)
                .await
                .unwrap();
            admin.close().await.unwrap();
            name
        })
        .await
}

/// A new, migrated, empty database; returns its URL.
pub async fn fresh_database() -> String {
    let template = template().await;
    let name = format!("swapdesk_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&server_url()).await.unwrap();
    sqlx::query(&format!(
        "create database \"{name}\" template \"{template}\""
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    stamp(&mut admin, &name).await;
    admin.close().await.unwrap();
    url_for(&name)
}

/// Notes when a test database was made, so a later run clears it only once it is old.
async fn stamp(admin: &mut PgConnection, database: &str) {
    let now: i64 = sqlx::query_scalar("select extract(epoch from now())::bigint")
        .fetch_one(&mut *admin)
        .await
        .unwrap();
    sqlx::query(&format!(
        "comment on database \"{database}\" is 'made {now}'"
    ))
    .execute(&mut *admin)
    .await
    .unwrap();
}

pub fn settings() -> Settings {
    Settings {
        base_url: BASE_URL.to_owned(),
        cookie_secure: false,
        session_idle_secs: 12 * 3600,
        session_max_age_secs: 14 * 24 * 3600,
        trust_proxy: false,
        key: cookie::Key::derive_from(&[7u8; 32]),
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

#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the first hidden CSRF field on the page.
    pub fn csrf(&self) -> Option<String> {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_owned())
    }

    pub fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }

    /// The page's `<title>`, as a browser tab shows it (entities left as they are).
    pub fn title(&self) -> String {
        let start = self.body.find("<title>").map_or(0, |i| i + "<title>".len());
        let end = self.body[start..]
            .find("</title>")
            .map_or(start, |i| start + i);
        self.body[start..end].to_owned()
    }
}

/// Keeps cookies and the latest CSRF token, like a browser with a form in front of it.
pub struct Browser {
    router: Router,
    cookies: Mutex<HashMap<String, String>>,
    pub csrf: Option<String>,
    pub ip: std::net::IpAddr,
}

impl Browser {
    pub fn new(router: Router) -> Self {
        Self {
            router,
            cookies: Mutex::new(HashMap::new()),
            csrf: None,
            ip: [192, 0, 2, 10].into(),
        }
    }

    /// The same cookies, sent to another app instance.
    pub fn on(&self, router: Router) -> Self {
        Self {
            router,
            cookies: Mutex::new(self.cookies.lock().unwrap().clone()),
            csrf: self.csrf.clone(),
            ip: self.ip,
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.to_owned(), value.to_owned());
    }

    pub fn session(&self) -> Option<String> {
        self.cookie("swapdesk_session")
    }

    pub async fn send(&mut self, request: Request<Body>) -> Page {
        let mut request = request;
        let cookie_header = {
            let cookies = self.cookies.lock().unwrap();
            cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        if !cookie_header.is_empty() {
            request
                .headers_mut()
                .insert(header::COOKIE, cookie_header.parse().unwrap());
        }
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((self.ip, 40000))));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let expired = text.contains("Max-Age=0");
            let mut cookies = self.cookies.lock().unwrap();
            if expired || value.is_empty() {
                cookies.remove(name);
            } else {
                cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let page = Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        if let Some(token) = page.csrf() {
            self.csrf = Some(token);
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Submits a form with this browser's CSRF token, as the page's form would.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let token = self.csrf.clone().unwrap_or_default();
        all.push(("csrf", &token));
        self.post_raw(path, &encode(&all)).await
    }

    /// Submits a form exactly as given: no CSRF token is added.
    pub async fn post_raw(&mut self, path: &str, body: &str) -> Page {
        self.post_bytes(
            path,
            body.as_bytes().to_vec(),
            "application/x-www-form-urlencoded",
        )
        .await
    }

    pub async fn post_bytes(&mut self, path: &str, body: Vec<u8>, content_type: &str) -> Page {
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/signin").await;
        assert_eq!(form.status, StatusCode::OK);
        let page = self
            .post(
                "/signin",
                &[("email", email), ("password", password), ("next", "/")],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "sign-in failed: {}",
            page.body
        );
        // The session id changed; pick up the new session's CSRF token from a page.
        let account = self.get("/account").await;
        assert_eq!(account.status, StatusCode::OK);
        page
    }
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                percent_encoding::utf8_percent_encode(k, percent_encoding::NON_ALPHANUMERIC),
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub fn sha256(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}
