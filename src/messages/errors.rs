//! What an error page says: each status's title and next step, what went wrong, and why a
//! space turned someone away. `web::error` puts them on the page.

use axum::http::StatusCode;

pub const NOT_FOUND: &str =
    "We could not find that page. It may have moved, or the link may be mistyped.";
pub const INTERNAL: &str =
    "Something went wrong on our side. Nothing was changed. Please try again in a moment.";
pub const PAYLOAD_TOO_LARGE: &str =
    "What you sent is larger than we accept. Shorten it and try again.";
pub const UNSUPPORTED_MEDIA_TYPE: &str =
    "We could not read that form. Use the form on the page to send it.";
pub const BAD_REQUEST: &str =
    "Part of that address or form could not be read. Check the link, or go back and try again.";
pub const METHOD_NOT_ALLOWED: &str =
    "That page cannot be used that way. Go back and use the page's own links and buttons.";
pub const TIMEOUT: &str =
    "That took too long, so we stopped. Nothing was changed. Please try again.";
pub const BUSY: &str =
    "We are very busy for a moment, so nothing was done. Please try again in a few seconds.";
pub const CSRF_FAILED: &str = "This form has expired or did not come from this site, so nothing was changed. Go back, reload the page and try again.";
pub const NOT_A_MEMBER: &str =
    "You are not a member of this space. Ask an admin for an invitation, or apply to join.";
pub const LEFT_SPACE: &str =
    "You left this space: your membership and its credits account are closed.";
pub const SUSPENDED: &str = "Your membership of this space is suspended. Talk to an admin of the space to have it reactivated.";
pub const PENDING: &str = "Your application to this space is waiting for an admin's approval.";
pub const ADMINS_ONLY: &str = "Only the space's admins can do that.";

pub fn too_many_requests(retry_after_secs: u64) -> String {
    let minutes = retry_after_secs.div_ceil(60).max(1);
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("Too many attempts. For your safety, please wait {minutes} {unit} and try again.")
}

/// Title and next step for each error page.
pub fn error_page(status: StatusCode) -> (&'static str, &'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "We could not understand that request",
            "/",
            "Go to the start page",
        ),
        403 => ("You cannot do that here", "/", "Go to the start page"),
        404 => ("Page not found", "/", "Go to the start page"),
        409 => (
            "That changed while you were working",
            "/",
            "Go to the start page",
        ),
        413 => ("That was too large", "/", "Go to the start page"),
        415 => ("We could not read that form", "/", "Go to the start page"),
        422 => (
            "Some of what you entered needs another look",
            "/",
            "Go to the start page",
        ),
        429 => ("Please slow down", "/", "Go to the start page"),
        503 => ("Busy for a moment", "/", "Go to the start page"),
        _ => ("Sorry, something went wrong", "/", "Go to the start page"),
    }
}
