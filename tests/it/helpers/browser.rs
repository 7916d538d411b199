//! The in-process browser: requests go straight into the router with `oneshot`, and it
//! keeps cookies and the latest CSRF token the way a real browser with a form would.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A response as a test reads it: the body as text.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the first hidden CSRF field on the page.
    pub fn csrf(&self) -> Option<String> {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_owned())
    }

    pub fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }

    /// The page's `<title>`, as a browser tab shows it (entities left as they are).
    pub fn title(&self) -> String {
        let start = self.body.find("<title>").map_or(0, |i| i + "<title>".len());
        let end = self.body[start..]
            .find("</title>")
            .map_or(start, |i| start + i);
        self.body[start..end].to_owned()
    }
}

/// Keeps cookies and the latest CSRF token, like a browser with a form in front of it.
pub struct Browser {
    router: Router,
    cookies: Mutex<HashMap<String, String>>,
    pub csrf: Option<String>,
    pub ip: std::net::IpAddr,
}

impl Browser {
    pub fn new(router: Router) -> Self {
        Self {
            router,
            cookies: Mutex::new(HashMap::new()),
            csrf: None,
            ip: [192, 0, 2, 10].into(),
        }
    }

    /// The same cookies, sent to another app instance.
    pub fn on(&self, router: Router) -> Self {
        Self {
            router,
            cookies: Mutex::new(self.cookies.lock().unwrap().clone()),
            csrf: self.csrf.clone(),
            ip: self.ip,
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.to_owned(), value.to_owned());
    }

    pub fn session(&self) -> Option<String> {
        self.cookie("swapdesk_session")
    }

    pub async fn send(&mut self, request: Request<Body>) -> Page {
        let mut request = request;
        let cookie_header = {
            let cookies = self.cookies.lock().unwrap();
            cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        if !cookie_header.is_empty() {
            request
                .headers_mut()
                .insert(header::COOKIE, cookie_header.parse().unwrap());
        }
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((self.ip, 40000))));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let expired = text.contains("Max-Age=0");
            let mut cookies = self.cookies.lock().unwrap();
            if expired || value.is_empty() {
                cookies.remove(name);
            } else {
                cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let page = Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        if let Some(token) = page.csrf() {
            self.csrf = Some(token);
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Submits a form with this browser's CSRF token, as the page's form would.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let token = self.csrf.clone().unwrap_or_default();
        all.push(("csrf", &token));
        self.post_raw(path, &encode(&all)).await
    }

    /// Submits a form exactly as given: no CSRF token is added.
    pub async fn post_raw(&mut self, path: &str, body: &str) -> Page {
        self.post_bytes(
            path,
            body.as_bytes().to_vec(),
            "application/x-www-form-urlencoded",
        )
        .await
    }

    pub async fn post_bytes(&mut self, path: &str, body: Vec<u8>, content_type: &str) -> Page {
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/signin").await;
        assert_eq!(form.status, StatusCode::OK);
        let page = self
            .post(
                "/signin",
                &[("email", email), ("password", password), ("next", "/")],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "sign-in failed: {}",
            page.body
        );
        // The session id changed; pick up the new session's CSRF token from a page.
        let account = self.get("/account").await;
        assert_eq!(account.status, StatusCode::OK);
        page
    }
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                percent_encoding::utf8_percent_encode(k, percent_encoding::NON_ALPHANUMERIC),
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}
