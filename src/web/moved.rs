//! Old addresses of spaces. An admin may change a space's slug, and every link to a former
//! one (emails already sent, bookmarks, a form left open) must still work: a request under
//! `/s/{former}` that finds nothing goes on to the same path and query under the space's
//! address now.
//!
//! It is a middleware on the answer rather than a step of the extractors, so that every
//! route under `/s/{slug}` is covered, those that find their space themselves (the public
//! join page) as much as `Member` and `Admin`. Only a 404 asks the database, so the pages
//! that exist cost nothing more. It runs inside the session middleware: a form posted to a
//! former address has had its CSRF token checked before it is sent on.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sqlx::PgExecutor;

use crate::spaces::model::valid_slug;
use crate::web::error::AppError;
use crate::web::state::AppState;

/// Sends a request that was not found under a space's former address on to its address
/// now, with 308 Permanent Redirect for every method: a GET stays a GET, and a form posted
/// to the old address is posted again, with its body, to the new one. The redirect is not
/// to be cached (`no-store`): a space may take a former address back, and a browser that
/// kept the old redirect would then go round in circles.
pub async fn former_addresses(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let uri = req.uri().clone();
    let response = next.run(req).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    let Some((slug, rest)) = split(uri.path()) else {
        return response;
    };
    match address_now(&state.db, slug).await {
        Ok(Some(now)) => {
            let target = match uri.query() {
                Some(query) => format!("/s/{now}{rest}?{query}"),
                None => format!("/s/{now}{rest}"),
            };
            let mut moved = Redirect::permanent(&target).into_response();
            moved
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            moved
        }
        Ok(None) => response,
        Err(err) => AppError::from(err).into_response(),
    }
}

/// A space page's path as its slug and the rest: "/s/harbour/credits" -> ("harbour",
/// "/credits"). Anything else, or a slug no space could have, is None.
fn split(path: &str) -> Option<(&str, &str)> {
    let after = path.strip_prefix("/s/")?;
    let (slug, rest) = after.find('/').map_or((after, ""), |i| after.split_at(i));
    valid_slug(slug).then_some((slug, rest))
}

/// The address now of the space that `slug` was the address of, if one was. A slug in use
/// is no space's former one (migration 0012), so a 404 under a space's address now (a trade
/// that does not exist) stays a 404.
async fn address_now(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "select s.slug from space_slugs f join spaces s on s.id = f.space_id
         where f.slug = $1 and s.slug <> f.slug",
        slug
    )
    .fetch_optional(db)
    .await
}
