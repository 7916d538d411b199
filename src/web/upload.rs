//! `multipart/form-data` bodies: file uploads (the admins' CSV import). The session
//! middleware reads such a body once, into memory, up to `MAX_UPLOAD_BYTES` on routes the
//! table marks as taking uploads (`MAX_FORM_BYTES` elsewhere), finds its `csrf` part, and
//! hands the same bytes on; `Upload` then splits them into parts for the handler.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};

use crate::messages;
use crate::web::error::AppError;

/// The largest file an upload may carry: 1 MB.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// The largest upload body read: the file plus room for the other fields and part headers.
/// A file a little over `MAX_FILE_BYTES` still arrives, so its form can say why it is refused.
pub const MAX_UPLOAD_BYTES: usize = MAX_FILE_BYTES + 64 * 1024;
/// More parts than any of our upload forms has.
const MAX_PARTS: usize = 16;

/// The boundary of a `multipart/form-data` request, or None for any other body.
pub fn boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    multer::parse_boundary(content_type).ok()
}

/// The text of the first part named `name`, reading no further than that part. The forms
/// put `csrf` first, so the file after it is never copied for the check.
pub async fn field_text(body: Bytes, boundary: &str, name: &str) -> Option<String> {
    let mut multipart = multer::Multipart::new(Body::from(body).into_data_stream(), boundary);
    for _ in 0..MAX_PARTS {
        let field = multipart.next_field().await.ok()??;
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// One part of an upload: a text field, or a file with the name the browser gave it.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub data: Bytes,
}

/// A `multipart/form-data` body, split into its parts.
#[derive(Debug, Default, Clone)]
pub struct Upload {
    parts: Vec<Part>,
}

impl Upload {
    /// Splits a body into its parts; None when it is not well-formed multipart.
    pub async fn parse(body: Bytes, boundary: &str) -> Option<Self> {
        let mut multipart = multer::Multipart::new(Body::from(body).into_data_stream(), boundary);
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.ok()? {
            if parts.len() == MAX_PARTS {
                return None;
            }
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let data = field.bytes().await.ok()?;
            parts.push(Part {
                name,
                file_name,
                data,
            });
        }
        Some(Self { parts })
    }

    /// The first part named `name`.
    pub fn part(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }

    /// A text field's value, or "" when it is missing or not UTF-8.
    pub fn text(&self, name: &str) -> &str {
        self.part(name)
            .and_then(|p| std::str::from_utf8(&p.data).ok())
            .unwrap_or("")
    }
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let Some(boundary) = boundary(req.headers()) else {
            return Err(AppError::UnsupportedMediaType);
        };
        // The session middleware has read the body already: this takes its bytes back.
        let body = to_bytes(req.into_body(), MAX_UPLOAD_BYTES)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        Upload::parse(body, &boundary)
            .await
            .ok_or_else(|| AppError::BadRequest(messages::UPLOAD_UNREADABLE.to_owned()))
    }
}
