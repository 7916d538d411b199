//! The stylesheet, compiled in and served under a content-hashed name so it can be cached
//! for a year (SPEC §10.6).

use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const CSS: &str = include_str!("../../static/css/app.css");

static CSS_URL: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(CSS.as_bytes());
    let short: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    format!("/static/app.{short}.css")
});

pub fn css_url() -> &'static str {
    CSS_URL.as_str()
}

/// Serves the stylesheet whatever hash the URL names: an old page still gets styled.
pub async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        CSS,
    )
        .into_response()
}
