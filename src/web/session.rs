//! Server-side sessions (SPEC §8.2) and the CSRF check (SPEC §8.3), as one middleware.
//!
//! The cookie holds 32 random bytes; Postgres holds their SHA-256, the person, and the
//! CSRF token bound to the session, so any app instance can serve any request. One indexed
//! query per request loads the session together with its person. Every state-changing
//! request must carry the session's token in its `csrf` field, checked here before any
//! handler runs, so no handler can forget it.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::auth::db as auth_db;
use crate::auth::model::PersonId;
use crate::messages;
use crate::spaces::model::{Membership, Space};
use crate::web::error::{AppError, AppResult, ErrorPage};
use crate::web::form::{FormData, MAX_FORM_BYTES};
use crate::web::state::AppState;

const FLASH_COOKIE: &str = "swapdesk_flash";
/// Anonymous sessions only carry a CSRF token for a form; they need not live long.
const ANONYMOUS_TTL_SECS: i64 = 2 * 3600;
/// last_seen_at is written at most this often, so most requests only read.
const TOUCH_AFTER_SECS: i64 = 60;

/// The signed-in person, as loaded with the session.
#[derive(Debug, Clone)]
pub struct SessionPerson {
    pub id: PersonId,
    pub display_name: String,
    pub email: String,
}

#[derive(Debug, Clone)]
struct Session {
    id_hash: Vec<u8>,
    person: Option<SessionPerson>,
    csrf: String,
}

/// The session of one request, shared between the middleware and the handler.
#[derive(Debug)]
pub struct RequestSession {
    state: Mutex<Inner>,
    secure: bool,
    /// The space in the URL (by slug) with the person's membership, loaded with the session.
    space: Option<(String, Space, Option<Membership>)>,
}

#[derive(Debug, Default)]
struct Inner {
    session: Option<Session>,
    set_cookie: Vec<HeaderValue>,
    flash_in: Option<String>,
    flash_shown: bool,
    flash_out: Option<&'static str>,
}

impl RequestSession {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A poisoned lock only means another thread panicked mid-request; the data is plain.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn person(&self) -> Option<SessionPerson> {
        self.lock().session.as_ref().and_then(|s| s.person.clone())
    }

    /// The space named `slug` and the signed-in person's membership of it, if the session
    /// query loaded them (it does for every page under /s/{slug}).
    pub fn preloaded_space(&self, slug: &str) -> Option<(Space, Option<Membership>)> {
        self.space
            .as_ref()
            .filter(|(s, _, _)| s == slug)
            .map(|(_, space, membership)| (space.clone(), membership.clone()))
    }

    /// The CSRF token of the current session, or "" without one.
    pub fn csrf(&self) -> String {
        self.lock()
            .session
            .as_ref()
            .map(|s| s.csrf.clone())
            .unwrap_or_default()
    }

    /// The CSRF token for a form, starting an anonymous session if there is none.
    pub async fn ensure_csrf(&self, state: &AppState) -> AppResult<String> {
        if let Some(session) = &self.lock().session {
            return Ok(session.csrf.clone());
        }
        self.begin(state, None).await
    }

    /// Signs a person in under a fresh session id (the old one is destroyed).
    pub async fn sign_in(&self, state: &AppState, person: PersonId) -> AppResult<()> {
        self.begin(state, Some(person)).await.map(|_| ())
    }

    /// Ends the current session on the server and in the browser.
    pub async fn sign_out(&self, state: &AppState) -> AppResult<()> {
        let old = self.lock().session.take();
        if let Some(old) = old {
            auth_db::delete_session(&state.db, &old.id_hash).await?;
        }
        let cookie = self.cookie("", 0);
        self.lock().set_cookie.push(cookie);
        Ok(())
    }

    async fn begin(&self, state: &AppState, person: Option<PersonId>) -> AppResult<String> {
        let old = self.lock().session.take();
        if let Some(old) = old {
            auth_db::delete_session(&state.db, &old.id_hash).await?;
        }
        let token = random_token();
        let id_hash = hash_token(&token);
        let csrf = random_token();
        let ttl = match person {
            Some(_) => state.settings.session_max_age_secs,
            None => ANONYMOUS_TTL_SECS,
        };
        let loaded = auth_db::insert_session(&state.db, &id_hash, person, &csrf, ttl).await?;
        let cookie = self.cookie(&token, ttl);
        let mut inner = self.lock();
        inner.set_cookie.push(cookie);
        inner.session = Some(Session {
            id_hash,
            person: loaded,
            csrf: csrf.clone(),
        });
        Ok(csrf)
    }

    fn cookie(&self, value: &str, max_age: i64) -> HeaderValue {
        let mut cookie = format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}",
            session_cookie_name(self.secure)
        );
        if self.secure {
            cookie.push_str("; Secure");
        }
        HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// Shows a notice on the next page this browser sees.
    pub fn flash(&self, key: &'static str) {
        self.lock().flash_out = Some(key);
    }

    /// The notice waiting for this page, if any; it is shown once.
    pub fn take_flash(&self) -> Option<&'static str> {
        let mut inner = self.lock();
        let text = inner.flash_in.as_deref().and_then(messages::flash);
        if text.is_some() {
            inner.flash_shown = true;
        }
        text
    }
}

/// `__Host-` pins the cookie to this exact origin over HTTPS.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-swapdesk"
    } else {
        "swapdesk_session"
    }
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing is not something a web request can recover from.
    #[expect(clippy::expect_used, reason = "no randomness means no safe sessions")]
    getrandom::fill(&mut bytes).expect("the OS random number generator failed");
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Loads the session, checks CSRF on state-changing requests, and writes cookies back.
pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match run(state, req, next).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}

async fn run(state: AppState, req: Request, next: Next) -> AppResult<Response> {
    let (mut parts, body) = req.into_parts();
    let secure = state.settings.cookie_secure;

    let mut session = None;
    let mut space = None;
    if let Some(token) = cookie_value(&parts.headers, session_cookie_name(secure)) {
        let id_hash = hash_token(token);
        let slug = space_slug(parts.uri.path());
        if let Some(row) =
            auth_db::load_session(&state.db, &id_hash, state.settings.session_idle_secs, slug)
                .await?
        {
            space = row.space.map(|(s, m)| (s.slug.clone(), s, m));
            if row.seen_secs_ago > TOUCH_AFTER_SECS {
                auth_db::touch_session(&state.db, &id_hash).await?;
            }
            session = Some(Session {
                id_hash,
                person: row.person,
                csrf: row.csrf_token,
            });
        }
    }

    let body = if is_state_changing(&parts.method) {
        let bytes = to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        let submitted = FormData::parse(&bytes);
        let expected = session.as_ref().map(|s| s.csrf.as_bytes());
        let valid = match (expected, submitted.get("csrf")) {
            (Some(expected), Some(given)) => bool::from(expected.ct_eq(given.as_bytes())),
            _ => false,
        };
        if !valid {
            tracing::info!(path = %parts.uri.path(), "CSRF check failed");
            return Ok(ErrorPage::new(StatusCode::FORBIDDEN, messages::CSRF_FAILED).response());
        }
        Body::from(bytes)
    } else {
        body
    };

    let flash_in = cookie_value(&parts.headers, FLASH_COOKIE).map(str::to_owned);
    let shared = Arc::new(RequestSession {
        state: Mutex::new(Inner {
            session,
            flash_in,
            ..Inner::default()
        }),
        secure,
        space,
    });
    parts.extensions.insert(shared.clone());

    let mut response = next.run(Request::from_parts(parts, body)).await;

    let inner = shared.lock();
    let headers = response.headers_mut();
    for cookie in &inner.set_cookie {
        headers.append(header::SET_COOKIE, cookie.clone());
    }
    let flash_cookie = match (inner.flash_out, inner.flash_shown) {
        (Some(key), _) => Some(format!(
            "{FLASH_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age=300"
        )),
        (None, true) => Some(format!(
            "{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        )),
        (None, false) => None,
    };
    if let Some(value) = flash_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.append(header::SET_COOKIE, value);
    }
    drop(inner);
    Ok(response)
}

/// The slug of a space page's path: "/s/harbour/credits" -> "harbour".
fn space_slug(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/s/")?;
    let slug = rest.split('/').next()?;
    crate::spaces::model::valid_slug(slug).then_some(slug)
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The request's session, for handlers.
#[derive(Debug, Clone)]
pub struct Ctx(pub Arc<RequestSession>);

impl std::ops::Deref for Ctx {
    type Target = RequestSession;
    fn deref(&self) -> &RequestSession {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Arc<RequestSession>>()
            .cloned()
            .map(Ctx)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("session middleware missing")))
    }
}
