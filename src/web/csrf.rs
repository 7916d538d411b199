//! CSRF tokens (SPEC §8.3): how a token travels in a form, and the token of a visitor who
//! has no session.
//!
//! A signed-in session keeps its token in Postgres. An anonymous form page (sign in, join,
//! reset, a mailed link) keeps no row at all: its token lives in a cookie signed with the
//! instance key, so a crawler cannot grow a table. Either token is sent masked, XORed with
//! a fresh random pad on every response, so that a compressed page that also reflects the
//! visitor's input never repeats the same secret bytes (BREACH).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie::{Cookie, CookieJar, Key};
use subtle::ConstantTimeEq;

/// Masks a token for one response: base64(pad ‖ token ⊕ pad).
pub fn mask(token: &str) -> String {
    if token.is_empty() {
        return String::new();
    }
    let secret = token.as_bytes();
    let mut pad = vec![0u8; secret.len()];
    crate::web::session::fill_random(&mut pad);
    let mut out = pad.clone();
    out.extend(secret.iter().zip(&pad).map(|(s, p)| s ^ p));
    URL_SAFE_NO_PAD.encode(out)
}

/// Whether a masked token from a form carries `expected`, compared in constant time.
pub fn matches(submitted: &str, expected: &str) -> bool {
    let Ok(raw) = URL_SAFE_NO_PAD.decode(submitted.trim()) else {
        return false;
    };
    if expected.is_empty() || raw.len() != 2 * expected.len() {
        return false;
    }
    let (pad, masked) = raw.split_at(expected.len());
    let token: Vec<u8> = masked.iter().zip(pad).map(|(m, p)| m ^ p).collect();
    bool::from(token.ct_eq(expected.as_bytes()))
}

/// The name of the cookie that carries an anonymous visitor's token.
pub fn anonymous_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-swapdesk-csrf"
    } else {
        "swapdesk_csrf"
    }
}

/// The value inside a signed cookie, if its signature holds.
pub fn open_signed(key: &Key, name: &str, value: &str) -> Option<String> {
    let mut jar = CookieJar::new();
    jar.add_original(Cookie::new(name.to_owned(), value.to_owned()));
    jar.signed(key)
        .get(name)
        .map(|c| c.value().to_owned())
        .filter(|t| !t.is_empty())
}

/// Signs `cookie`'s value with the instance key.
pub fn sign(key: &Key, cookie: Cookie<'static>) -> Option<Cookie<'static>> {
    let name = cookie.name().to_owned();
    let mut jar = CookieJar::new();
    jar.signed_mut(key).add(cookie);
    jar.get(&name).cloned()
}
