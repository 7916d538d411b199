//! The body of a state-changing request, read once and checked for its CSRF token before
//! any handler runs. A urlencoded form is read up to `MAX_FORM_BYTES`. A multipart one
//! (a file upload) is read up to `MAX_UPLOAD_BYTES` on the routes that take uploads, its
//! `csrf` part found in the bytes in memory, and the same bytes handed on to the handler.

use axum::body::{Body, Bytes, to_bytes};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::Response;

use crate::messages;
use crate::web::csrf;
use crate::web::error::ErrorPage;
use crate::web::form::{FormData, MAX_FORM_BYTES};
use crate::web::routes;
use crate::web::upload::{self, MAX_UPLOAD_BYTES};

/// The body to hand on when it carries one of the `expected` tokens; else the refusal:
/// 403 without a valid token, 413 when it is larger than the route accepts.
pub(super) async fn checked(
    parts: &Parts,
    body: Body,
    expected: [Option<&str>; 2],
) -> Result<Body, Response> {
    let boundary = upload::boundary(&parts.headers);
    let path = parts.uri.path();
    let takes_upload = boundary.is_some() && routes::accepts_upload(path);
    let limit = if takes_upload {
        MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    };
    // A body announced as too large is refused before a byte of it is read.
    let announced = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let too_large = || {
        let message = if takes_upload {
            messages::UPLOAD_TOO_LARGE
        } else {
            messages::PAYLOAD_TOO_LARGE
        };
        ErrorPage::new(StatusCode::PAYLOAD_TOO_LARGE, message).response()
    };
    if announced.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let bytes: Bytes = to_bytes(body, limit).await.map_err(|_| too_large())?;
    let given = match &boundary {
        Some(boundary) => upload::field_text(bytes.clone(), boundary, "csrf")
            .await
            .unwrap_or_default(),
        None => FormData::parse(&bytes).text("csrf").to_owned(),
    };
    // A form shown before sign-in carries the anonymous token; either proves the origin.
    let carries = expected
        .into_iter()
        .flatten()
        .any(|expected| csrf::matches(&given, expected));
    if !carries {
        tracing::info!(path = %crate::web::redact::path(path), "CSRF check failed");
        return Err(ErrorPage::new(StatusCode::FORBIDDEN, messages::CSRF_FAILED).response());
    }
    Ok(Body::from(bytes))
}
