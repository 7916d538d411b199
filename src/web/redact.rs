//! Paths as logs may see them: a mailed link's token is a credential, so it never reaches
//! a log line (request spans, error logs, metrics).

use std::borrow::Cow;

/// Path prefixes whose next segment is a secret token.
const TOKEN_PREFIXES: [&str; 3] = ["/reset/", "/verify/", "/invite/"];

/// The path with any token segment replaced by `[redacted]`.
pub fn path(path: &str) -> Cow<'_, str> {
    for prefix in TOKEN_PREFIXES {
        if let Some(rest) = path.strip_prefix(prefix)
            && !rest.is_empty()
        {
            let tail = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            return Cow::Owned(format!("{prefix}[redacted]{tail}"));
        }
    }
    Cow::Borrowed(path)
}
