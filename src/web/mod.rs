//! HTTP glue shared by every feature: the router, layers, errors, sessions and forms, and
//! the redirects from spaces' former addresses (`moved`).

pub mod assets;
pub mod csrf;
pub mod csv;
pub mod error;
pub mod extract;
pub mod form;
pub mod gate;
pub mod html;
pub mod metrics;
pub mod moved;
pub mod pager;
pub mod redact;
pub mod retry;
pub mod routes;
pub mod search;
pub mod security;
pub mod session;
pub mod state;
pub mod upload;

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, middleware};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::web::error::AppError;
use crate::web::routes::{Access, Route};
use crate::web::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole app: every feature's routes behind the shared layers.
pub fn app(state: AppState) -> Router {
    let https = state.settings.cookie_secure;
    let mut router = routes::router(routes::table())
        .fallback(not_found)
        // Inside the session: a form posted to a former address has had its CSRF check.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            moved::former_addresses,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::middleware,
        ))
        // Probes and static files need no session.
        .merge(routes::router(infra_routes()))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ));
    for layer in security::headers(https) {
        router = router.layer(layer);
    }
    router
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %redact::path(req.uri().path()))
                }))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(CompressionLayer::new())
                .layer(middleware::from_fn(error::pages_for_plain_errors))
                // A panic is a bug, but the visitor still gets a page, not a dropped line.
                .layer(CatchPanicLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(30),
                ))
                .layer(middleware::from_fn(retry::once_on_lost_connection)),
        )
        .with_state(state)
}

/// What the metrics address serves (`METRICS_BIND`, loopback by default): Prometheus text
/// about the app that `state` belongs to. Kept off the public address.
pub fn metrics_app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics::endpoint))
        .with_state(state)
}

/// The routes outside any session: health probes and the static files.
pub fn infra_routes() -> Vec<Route> {
    vec![
        Route::get("/healthz", Access::Public, healthz),
        Route::get("/readyz", Access::Public, readyz),
        Route::get("/static/{file}", Access::Public, assets::file),
        Route::get("/robots.txt", Access::Public, assets::robots),
    ]
}

/// Nothing here. A path with a trailing slash ("/s/demo/") is sent to the one without.
async fn not_found(uri: axum::http::Uri) -> Response {
    let path = uri.path();
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/');
        // "//evil.example" would leave the site: such a path is simply not found.
        if !trimmed.is_empty() && !trimmed.starts_with("//") {
            let target = match uri.query() {
                Some(q) => format!("{trimmed}?{q}"),
                None => trimmed.to_owned(),
            };
            return axum::response::Redirect::permanent(&target).into_response();
        }
    }
    AppError::NotFound.into_response()
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match crate::db::ping(&state.db).await {
        Ok(_) => "ready".into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}
