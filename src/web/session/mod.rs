//! Server-side sessions (SPEC §8.2) and the CSRF check (SPEC §8.3), as one middleware.
//!
//! The cookie holds 32 random bytes; Postgres holds their SHA-256, the person, and the
//! CSRF token bound to the session, so any app instance can serve any request. One indexed
//! query per request loads the session together with its person. Only signed-in people
//! have a session row: an anonymous form's token lives in a signed cookie (`web::csrf`).
//! Every state-changing request must carry its token in its `csrf` field, checked here
//! before any handler runs, so no handler can forget it.

mod body;
pub mod db;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie::{Cookie, Key, SameSite};
use sha2::{Digest, Sha256};

use crate::auth::model::{PersonId, SessionPerson};
use crate::messages;
use crate::spaces::model::{Membership, Space};
use crate::web::csrf;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

const FLASH_COOKIE: &str = "swapdesk_flash";
/// A browser that signed in to an account before: a busy address does not slow it down.
const DEVICE_TTL_SECS: i64 = 365 * 24 * 3600;
/// An anonymous form's token need not outlive a visit.
const ANONYMOUS_TTL_SECS: i64 = 2 * 3600;
/// last_seen_at is written at most this often, so most requests only read.
const TOUCH_AFTER_SECS: i64 = 60;

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
    key: Key,
    /// The account this browser last signed in to, from its signed device cookie.
    device: Option<PersonId>,
    /// The space in the URL (by slug) with the person's membership, loaded with the session.
    space: Option<UrlSpace>,
}

/// The space a URL names: its slug, the space and the signed-in person's membership of it.
type UrlSpace = (String, Space, Option<Membership>);

#[derive(Debug, Default)]
struct Inner {
    session: Option<Session>,
    /// The token of an anonymous visitor, from their signed cookie or made for this page.
    anonymous: Option<String>,
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

    /// The CSRF token of the current session (or anonymous visitor), or "" without one.
    pub fn csrf(&self) -> String {
        let inner = self.lock();
        match (&inner.session, &inner.anonymous) {
            (Some(session), _) => session.csrf.clone(),
            (None, Some(token)) => token.clone(),
            (None, None) => String::new(),
        }
    }

    /// The CSRF token for a form. A visitor without a session gets one in a signed cookie:
    /// no row is written for someone who has not signed in.
    pub fn ensure_csrf(&self) -> String {
        let existing = self.csrf();
        if !existing.is_empty() {
            return existing;
        }
        let token = random_token();
        let name = csrf::anonymous_cookie_name(self.secure);
        let cookie = csrf::sign(&self.key, self.cookie(name, &token, ANONYMOUS_TTL_SECS));
        let mut inner = self.lock();
        if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c.to_string()).ok()) {
            inner.set_cookie.push(value);
        }
        inner.anonymous = Some(token.clone());
        token
    }

    /// The account this browser signed in to before, if its device cookie says so.
    pub fn known_device(&self) -> Option<PersonId> {
        self.device
    }

    /// Signs a person in under a fresh session id (the old one is destroyed).
    pub async fn sign_in(&self, state: &AppState, person: PersonId) -> AppResult<()> {
        let old = self.lock().session.take();
        if let Some(old) = old {
            db::delete_session(&state.db, &old.id_hash).await?;
        }
        let token = random_token();
        let id_hash = hash_token(&token);
        let csrf = random_token();
        let ttl = state.settings.session_max_age_secs;
        let loaded = db::insert_session(&state.db, &id_hash, person, &csrf, ttl).await?;
        let cookie = self.header(session_cookie_name(self.secure), &token, ttl);
        let device_name = device_cookie_name(self.secure);
        let device = self.cookie(device_name, &person.to_string(), DEVICE_TTL_SECS);
        let device =
            csrf::sign(&self.key, device).and_then(|c| HeaderValue::from_str(&c.to_string()).ok());
        let mut inner = self.lock();
        inner.set_cookie.extend(cookie);
        inner.set_cookie.extend(device);
        inner.session = Some(Session {
            id_hash,
            person: loaded,
            csrf,
        });
        Ok(())
    }

    /// Ends the current session on the server and in the browser.
    pub async fn sign_out(&self, state: &AppState) -> AppResult<()> {
        let old = self.lock().session.take();
        if let Some(old) = old {
            db::delete_session(&state.db, &old.id_hash).await?;
        }
        let cookie = self.header(session_cookie_name(self.secure), "", 0);
        self.lock().set_cookie.extend(cookie);
        Ok(())
    }

    /// A cookie for this site only: HttpOnly, SameSite=Lax, Secure over HTTPS.
    fn cookie(&self, name: &'static str, value: &str, max_age: i64) -> Cookie<'static> {
        Cookie::build((name, value.to_owned()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .max_age(cookie::time::Duration::seconds(max_age))
            .build()
    }

    fn header(&self, name: &'static str, value: &str, max_age: i64) -> Option<HeaderValue> {
        HeaderValue::from_str(&self.cookie(name, value, max_age).to_string()).ok()
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

fn device_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-swapdesk-device"
    } else {
        "swapdesk_device"
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
    fill_random(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Fills `bytes` from the OS random source.
pub fn fill_random(bytes: &mut [u8]) {
    // The OS random source failing is not something a web request can recover from.
    #[expect(clippy::expect_used, reason = "no randomness means no safe sessions")]
    getrandom::fill(bytes).expect("the OS random number generator failed");
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The value of a request cookie, percent-decoded.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse_encoded)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
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
    let (session, space) = resume(&state, &parts).await?;
    let key = &state.settings.key;
    let anonymous = signed_cookie(key, &parts.headers, csrf::anonymous_cookie_name(secure));
    let device = signed_cookie(key, &parts.headers, device_cookie_name(secure))
        .and_then(|id| id.parse().ok())
        .map(PersonId);

    let body =
        if is_state_changing(&parts.method) && !crate::web::routes::csrf_exempt(parts.uri.path()) {
            let expected = [
                session.as_ref().map(|s| s.csrf.as_str()),
                anonymous.as_deref(),
            ];
            match body::checked(&parts, body, expected).await {
                Ok(body) => body,
                Err(refusal) => return Ok(refusal),
            }
        } else {
            body
        };

    let flash_in = cookie_value(&parts.headers, FLASH_COOKIE);
    let shared = Arc::new(RequestSession {
        state: Mutex::new(Inner {
            session,
            anonymous,
            flash_in,
            ..Inner::default()
        }),
        secure,
        key: key.clone(),
        device,
        space,
    });
    parts.extensions.insert(shared.clone());

    let mut response = next.run(Request::from_parts(parts, body)).await;
    write_cookies(&shared, response.headers_mut());
    Ok(response)
}

/// The live session the request's cookie names, with the space in its URL, in one query;
/// its last_seen_at is written only when older than TOUCH_AFTER_SECS.
async fn resume(state: &AppState, parts: &Parts) -> AppResult<(Option<Session>, Option<UrlSpace>)> {
    let secure = state.settings.cookie_secure;
    let Some(token) = cookie_value(&parts.headers, session_cookie_name(secure)) else {
        return Ok((None, None));
    };
    let id_hash = hash_token(&token);
    let slug = space_slug(parts.uri.path());
    let Some(row) =
        db::load_session(&state.db, &id_hash, state.settings.session_idle_secs, slug).await?
    else {
        return Ok((None, None));
    };
    let space = row.space.map(|(s, m)| (s.slug.clone(), s, m));
    if row.seen_secs_ago > TOUCH_AFTER_SECS {
        db::touch_session(&state.db, &id_hash).await?;
    }
    let session = Session {
        id_hash,
        person: row.person,
        csrf: row.csrf_token,
    };
    Ok((Some(session), space))
}

/// The value of a cookie this site signed, if its signature holds.
fn signed_cookie(key: &Key, headers: &HeaderMap, name: &str) -> Option<String> {
    cookie_value(headers, name).and_then(|value| csrf::open_signed(key, name, &value))
}

/// Sends back the cookies the handler set, and sets or clears the flash notice's cookie.
fn write_cookies(shared: &RequestSession, headers: &mut HeaderMap) {
    let inner = shared.lock();
    for cookie in &inner.set_cookie {
        headers.append(header::SET_COOKIE, cookie.clone());
    }
    let flash_cookie = match (inner.flash_out, inner.flash_shown) {
        (Some(key), _) => shared.header(FLASH_COOKIE, key, 300),
        (None, true) => shared.header(FLASH_COOKIE, "", 0),
        (None, false) => None,
    };
    if let Some(value) = flash_cookie {
        headers.append(header::SET_COOKIE, value);
    }
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
