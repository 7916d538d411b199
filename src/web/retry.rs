//! One more try when a request failed because its database connection was lost, as every
//! pooled connection is once after PostgreSQL restarts. A read is safe to run again, and so
//! is a form that carries its own idempotency id (`id`): the ledger gives a repeat the
//! original's outcome. Anything else gets the calm 503 page with Retry-After, never a 500.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use uuid::Uuid;

use crate::web::error::ConnectionLost;
use crate::web::form::{FormData, MAX_FORM_BYTES};

pub async fn once_on_lost_connection(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let safe = matches!(parts.method, Method::GET | Method::HEAD);
    let small_form = parts.method == Method::POST
        && parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
        && parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|n| n <= MAX_FORM_BYTES);
    if !safe && !small_form {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return next.run(Request::from_parts(parts, Body::empty())).await;
    };
    let retriable = safe
        || FormData::parse(&bytes)
            .get("id")
            .is_some_and(|id| Uuid::parse_str(id).is_ok());
    let again = retriable.then(|| Request::from_parts(parts.clone(), Body::from(bytes.clone())));
    let response = next
        .clone()
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    match again {
        Some(request) if response.extensions().get::<ConnectionLost>().is_some() => {
            tracing::info!("retrying once on a fresh database connection");
            next.run(request).await
        }
        _ => response,
    }
}
