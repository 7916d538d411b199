//! Static files, compiled in and served under content-hashed names so they can be cached
//! for a year (SPEC §10.6): the stylesheet and the favicon.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::web::error::AppError;

struct Asset {
    /// The name before the hash, as in `/static/app.1a2b3c4d5e.css`.
    stem: &'static str,
    extension: &'static str,
    content_type: &'static str,
    body: &'static str,
    url: LazyLock<String>,
}

static CSS: Asset = Asset {
    stem: "app",
    extension: "css",
    content_type: "text/css; charset=utf-8",
    body: include_str!("../../static/css/app.css"),
    url: LazyLock::new(|| hashed_url(&CSS)),
};

static FAVICON: Asset = Asset {
    stem: "favicon",
    extension: "svg",
    content_type: "image/svg+xml",
    body: include_str!("../../static/img/favicon.svg"),
    url: LazyLock::new(|| hashed_url(&FAVICON)),
};

const ROBOTS: &str = include_str!("../../static/robots.txt");

fn hashed_url(asset: &Asset) -> String {
    let digest = Sha256::digest(asset.body.as_bytes());
    let short: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    format!("/static/{}.{short}.{}", asset.stem, asset.extension)
}

pub fn css_url() -> &'static str {
    CSS.url.as_str()
}

pub fn favicon_url() -> &'static str {
    FAVICON.url.as_str()
}

/// Serves a file whatever hash its URL names: a page cached before a deploy still gets
/// styled and still shows its icon.
pub async fn file(Path(name): Path<String>) -> Response {
    let found = [&CSS, &FAVICON].into_iter().find(|asset| {
        name.strip_prefix(asset.stem)
            .and_then(|rest| rest.strip_suffix(asset.extension))
            .is_some_and(|middle| middle.starts_with('.') && middle.ends_with('.'))
    });
    let Some(asset) = found else {
        return AppError::NotFound.into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        asset.body,
    )
        .into_response()
}

/// Search engines may index the public pages, never a space's (SPEC §1.3) or a mailed
/// link's. Pages of both kinds also say `noindex` themselves (`web::html::Layout`).
pub async fn robots() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        ROBOTS,
    )
        .into_response()
}
