//! Paths as logs may see them: a mailed link's token is a credential, so it never reaches
//! a log line (request spans, error logs, metrics).

use std::borrow::Cow;
use std::sync::OnceLock;

/// The segment of a route pattern that holds a mailed link's secret.
const TOKEN: &str = "{token}";

/// The route table's paths with a `{token}` segment (reset, confirmation, invitation,
/// email-change and unsubscribe links), so a new kind of link is redacted from the start.
fn token_routes() -> &'static [&'static str] {
    static ROUTES: OnceLock<Vec<&'static str>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let mut paths: Vec<&'static str> = crate::web::routes::table()
            .into_iter()
            .map(|r| r.path)
            .filter(|p| p.split('/').any(|s| s == TOKEN))
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    })
}

/// The path with any token segment replaced by `[redacted]`.
pub fn path(path: &str) -> Cow<'_, str> {
    let Some(at) = token_routes()
        .iter()
        .find_map(|pattern| token_segment(pattern, path))
    else {
        return Cow::Borrowed(path);
    };
    let redacted: Vec<&str> = path
        .split('/')
        .enumerate()
        .map(|(i, s)| if i == at { "[redacted]" } else { s })
        .collect();
    Cow::Owned(redacted.join("/"))
}

/// Which segment of `path` is the token of `pattern`, when `path` is that route or lies
/// below it (a mistyped link with more after its token is redacted too).
fn token_segment(pattern: &str, path: &str) -> Option<usize> {
    let mut got = path.split('/');
    for (i, want) in pattern.split('/').enumerate() {
        let segment = got.next()?;
        match want {
            TOKEN if !segment.is_empty() => return Some(i),
            w if w.starts_with('{') && !segment.is_empty() => {}
            w if w == segment => {}
            _ => return None,
        }
    }
    None
}
