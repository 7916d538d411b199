//! The route table: every route of the app with its method and who may use it. The router
//! is built from it, so no route exists outside it, and a test walks it to prove that
//! everyone below a route's level is refused and that no form works without its CSRF
//! token (tests/it/routes.rs).

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, on};

use crate::web::state::AppState;

/// Who may use a route. The extractor a handler takes enforces it (`web::extract`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// A member of the space in the URL, even one still waiting for approval.
    Applicant,
    /// An active member of the space in the URL.
    Member,
    /// An active member (or, where the handler says so, an applicant), and only for objects
    /// of their own: others' are not found.
    Owner,
    /// An active admin of the space in the URL.
    Admin,
}

/// One method on one path.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// Why a state-changing route takes no CSRF token; None for every form but one-click
    /// unsubscribing.
    pub csrf_exempt: Option<&'static str>,
    /// Whether the form may send a file (`multipart/form-data` up to `upload::MAX_UPLOAD_BYTES`).
    pub upload: bool,
    handler: MethodRouter<AppState>,
}

impl Route {
    fn new<H, T>(method: Method, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = match method {
            Method::POST => axum::routing::MethodFilter::POST,
            _ => axum::routing::MethodFilter::GET,
        };
        Self {
            method,
            path,
            access,
            csrf_exempt: None,
            upload: false,
            handler: on(filter, handler),
        }
    }

    pub fn get<H, T>(path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Self::new(Method::GET, path, access, handler)
    }

    pub fn post<H, T>(path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Self::new(Method::POST, path, access, handler)
    }

    /// Records why this state-changing route takes no CSRF token.
    pub fn csrf_exempt(mut self, reason: &'static str) -> Self {
        self.csrf_exempt = Some(reason);
        self
    }

    /// Marks a form that sends a file: its body may be as large as an upload.
    pub fn upload(mut self) -> Self {
        self.upload = true;
        self
    }

    /// Whether the route changes state, and so needs a CSRF token.
    pub fn changes_state(&self) -> bool {
        self.method != Method::GET && self.method != Method::HEAD
    }
}

/// Every page and form of the app, feature by feature.
pub fn table() -> Vec<Route> {
    [
        crate::spaces::routes(),
        crate::auth::routes(),
        crate::admin::routes(),
        crate::ledger::routes(),
        crate::members::routes(),
        crate::skills::routes(),
        crate::marketplace::routes(),
        crate::trades::routes(),
        crate::rooms::routes(),
        crate::notify::routes(),
        crate::moderation::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The router of a table's routes; methods on one path are merged.
pub fn router(routes: Vec<Route>) -> Router<AppState> {
    routes
        .into_iter()
        .fold(Router::new(), |router, r| router.route(r.path, r.handler))
}

/// Whether a request to `path` is exempt from the CSRF check: only routes the table marks
/// so, each with its reason.
pub fn csrf_exempt(path: &str) -> bool {
    static EXEMPT: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    EXEMPT
        .get_or_init(|| {
            table()
                .into_iter()
                .filter(|r| r.csrf_exempt.is_some())
                .map(|r| r.path)
                .collect()
        })
        .iter()
        .any(|pattern| matches(pattern, path))
}

/// Whether a request to `path` may carry an upload: only routes the table marks so.
pub fn accepts_upload(path: &str) -> bool {
    static UPLOADS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    UPLOADS
        .get_or_init(|| {
            table()
                .into_iter()
                .filter(|r| r.upload)
                .map(|r| r.path)
                .collect()
        })
        .iter()
        .any(|pattern| matches(pattern, path))
}

/// Whether `path` fits a route pattern whose `{name}` segments stand for any one segment.
fn matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with('{') && !g.is_empty() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}
