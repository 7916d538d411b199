//! Talking to Swapdesk as a browser would: requests with cookies and forms, the CSRF token
//! of a page, and signing in.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;

pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

pub fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A signed-in client: its session cookie, its CSRF token, and the members the send form
/// offers it.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub members: Vec<String>,
}

pub struct Reply {
    pub status: StatusCode,
    /// Every cookie the response set, as name=value.
    pub cookies: Vec<String>,
    pub retry_after: Option<u64>,
    /// Where a redirect points.
    pub location: Option<String>,
    pub body: String,
}

impl Reply {
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|c| c.split('=').next() == Some(name))
            .map(String::as_str)
    }
}

pub async fn request(
    http: &HttpClient,
    method: Method,
    url: &str,
    cookie: &str,
    form: Option<String>,
) -> Result<Reply, String> {
    request_from(http, method, url, cookie, form, None).await
}

/// As `request`, claiming to come from `from` (X-Forwarded-For; the app must trust it).
pub async fn request_from(
    http: &HttpClient,
    method: Method,
    url: &str,
    cookie: &str,
    form: Option<String>,
    from: Option<&str>,
) -> Result<Reply, String> {
    let mut builder = Request::builder().method(method).uri(url);
    if !cookie.is_empty() {
        builder = builder.header("cookie", cookie);
    }
    if let Some(from) = from {
        builder = builder.header("x-forwarded-for", from);
    }
    let body = match form {
        Some(f) => {
            builder = builder.header("content-type", "application/x-www-form-urlencoded");
            Full::new(Bytes::from(f))
        }
        None => Full::new(Bytes::new()),
    };
    let req = builder.body(body).map_err(|e| e.to_string())?;
    let resp = tokio::time::timeout(Duration::from_secs(10), http.request(req))
        .await
        .map_err(|_| "timeout".to_owned())?
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let cookies = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = tokio::time::timeout(Duration::from_secs(10), resp.into_body().collect())
        .await
        .map_err(|_| "timeout".to_owned())?
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(Reply {
        status,
        cookies,
        retry_after,
        location,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

pub fn csrf_in(body: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_owned())
}

/// The member ids offered by the send form's <select>.
fn members_in(body: &str) -> Vec<String> {
    body.split("<option value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Why a sign-in did not go through.
pub enum SignInError {
    /// The app asked us to come back after this many seconds (429 or 503).
    RetryAfter(u64),
    Failed(String),
}

impl From<String> for SignInError {
    fn from(e: String) -> Self {
        SignInError::Failed(e)
    }
}

/// Signs in as a browser would: the form's anonymous CSRF cookie and token, then the post.
pub async fn sign_in_from(
    http: &HttpClient,
    base: &str,
    email: &str,
    password: &str,
    from: Option<&str>,
) -> Result<String, SignInError> {
    let form = request_from(http, Method::GET, &format!("{base}/signin"), "", None, from).await?;
    let cookie = form.cookies.join("; ");
    let csrf = csrf_in(&form.body).ok_or("no csrf on sign-in".to_owned())?;
    let body = format!("csrf={}&email={}&password={}&next=%2F", enc(&csrf), enc(email), enc(password));
    let done = request_from(http, Method::POST, &format!("{base}/signin"), &cookie, Some(body), from).await?;
    if let (StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE, Some(secs)) =
        (done.status, done.retry_after)
    {
        return Err(SignInError::RetryAfter(secs));
    }
    if done.status != StatusCode::SEE_OTHER {
        return Err(SignInError::Failed(format!("sign-in as {email} failed: {}", done.status)));
    }
    let session = done.cookie("swapdesk_session").ok_or("no session cookie".to_owned())?;
    Ok(session.to_owned())
}

async fn sign_in(http: &HttpClient, base: &str, slug: &str, email: &str, password: &str) -> Result<Session, SignInError> {
    let cookie = sign_in_from(http, base, email, password, None).await?;
    let page = request(http, Method::GET, &format!("{base}/s/{slug}/credits/send"), &cookie, None).await?;
    let csrf = csrf_in(&page.body).ok_or("no csrf on send form".to_owned())?;
    Ok(Session {
        cookie,
        csrf,
        members: members_in(&page.body),
    })
}

/// Signs in, coming back when the app says it is busy; gives up after 20 tries.
pub async fn sign_in_patiently(
    http: &HttpClient,
    base: &str,
    slug: &str,
    email: &str,
    password: &str,
) -> Result<Session, String> {
    let mut tries = 0;
    loop {
        match sign_in(http, base, slug, email, password).await {
            Ok(s) => return Ok(s),
            // Busy or slowed down: come back when the app says.
            Err(SignInError::RetryAfter(secs)) if tries < 20 => {
                tries += 1;
                eprintln!("sign-in retry after {secs}s");
                tokio::time::sleep(Duration::from_secs(secs.max(1))).await;
            }
            Err(SignInError::Failed(e)) if tries < 20 => {
                tries += 1;
                eprintln!("sign-in retry ({e})");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(SignInError::RetryAfter(secs)) => return Err(format!("still busy after 20 tries ({secs}s)")),
            Err(SignInError::Failed(e)) => return Err(e),
        }
    }
}
