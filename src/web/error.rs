//! One error type for every handler, rendered as a page that says what happened and what
//! to do next. Internal detail is logged once, never shown.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::messages;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// Not signed in: send the visitor to sign in, then back to `next`.
    #[error("sign-in required")]
    Unauthorized { next: String },
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// Busy for a moment (hashing queue full, database restarting): come back soon.
    #[error("service unavailable")]
    Unavailable { retry_after_secs: u64 },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Render(#[from] askama::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub title: &'static str,
    pub message: String,
    pub action_href: &'static str,
    pub action_label: &'static str,
    pub css: &'static str,
    pub favicon: &'static str,
}

impl ErrorPage {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        let (title, action_href, action_label) = messages::error_page(status);
        Self {
            status: status.as_u16(),
            title,
            message: message.into(),
            action_href,
            action_label,
            css: crate::web::assets::css_url(),
            favicon: crate::web::assets::favicon_url(),
        }
    }

    pub fn response(&self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match self.render() {
            Ok(html) => (status, axum::response::Html(html)).into_response(),
            Err(err) => {
                tracing::error!(error = %err, "error page failed to render");
                (status, self.message.clone()).into_response()
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            AppError::NotFound => (StatusCode::NOT_FOUND, messages::NOT_FOUND.to_owned()),
            AppError::Unauthorized { next } => {
                let target = format!(
                    "/signin?next={}",
                    percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
                );
                return Redirect::to(&target).into_response();
            }
            AppError::Forbidden(why) => (StatusCode::FORBIDDEN, (*why).to_owned()),
            AppError::Conflict(why) => (StatusCode::CONFLICT, why.clone()),
            AppError::BadRequest(why) => (StatusCode::BAD_REQUEST, why.clone()),
            AppError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                messages::PAYLOAD_TOO_LARGE.to_owned(),
            ),
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                messages::UNSUPPORTED_MEDIA_TYPE.to_owned(),
            ),
            AppError::TooManyRequests { retry_after_secs } => {
                return with_retry_after(
                    ErrorPage::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        messages::too_many_requests(*retry_after_secs),
                    ),
                    *retry_after_secs,
                );
            }
            AppError::Unavailable { retry_after_secs } => {
                return with_retry_after(
                    ErrorPage::new(StatusCode::SERVICE_UNAVAILABLE, messages::BUSY),
                    *retry_after_secs,
                );
            }
            AppError::Database(err) if crate::db::connection_lost(err) => {
                return connection_lost(err);
            }
            AppError::Database(sqlx::Error::PoolTimedOut) => {
                tracing::warn!("no database connection came free in time");
                return with_retry_after(
                    ErrorPage::new(StatusCode::SERVICE_UNAVAILABLE, messages::BUSY),
                    2,
                );
            }
            AppError::Database(err) => {
                tracing::error!(error = %err, "database error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    messages::INTERNAL.to_owned(),
                )
            }
            AppError::Render(err) => {
                tracing::error!(error = %err, "template error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    messages::INTERNAL.to_owned(),
                )
            }
            AppError::Internal(err)
                if err
                    .downcast_ref::<sqlx::Error>()
                    .is_some_and(crate::db::connection_lost) =>
            {
                return connection_lost(err);
            }
            AppError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    messages::INTERNAL.to_owned(),
                )
            }
        };
        ErrorPage::new(status, message).response()
    }
}

/// Marks a response whose request failed because its database connection was lost: the
/// retry layer (`web::retry`) may run it once more on a fresh connection.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLost;

fn connection_lost(err: &dyn std::fmt::Display) -> Response {
    tracing::warn!(error = %err, "database connection lost");
    let mut response = with_retry_after(
        ErrorPage::new(StatusCode::SERVICE_UNAVAILABLE, messages::BUSY),
        1,
    );
    response.extensions_mut().insert(ConnectionLost);
    response
}

fn with_retry_after(page: ErrorPage, secs: u64) -> Response {
    let mut response = page.response();
    if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Extractor rejections, 405s and timeouts arrive as plain text. Give them the same page
/// as every other error, so nobody meets a bare rejection.
pub async fn pages_for_plain_errors(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_html {
        return response;
    }
    let message = match status {
        StatusCode::METHOD_NOT_ALLOWED => messages::METHOD_NOT_ALLOWED,
        StatusCode::REQUEST_TIMEOUT => messages::TIMEOUT,
        StatusCode::PAYLOAD_TOO_LARGE => messages::PAYLOAD_TOO_LARGE,
        s if s.is_server_error() => messages::INTERNAL,
        _ => messages::BAD_REQUEST,
    };
    let mut page = ErrorPage::new(status, message).response();
    if let Some(allow) = response.headers().get(header::ALLOW) {
        page.headers_mut().insert(header::ALLOW, allow.clone());
    }
    page
}
