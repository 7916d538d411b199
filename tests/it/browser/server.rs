//! The app on a real socket, for a real browser. Every HTML page it sends is kept exactly as
//! sent (a browser's page source is its own rewrite), so a journey can validate the markup
//! the browser really got, pages answering a POST included.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::Response;
use http_body_util::BodyExt;
use tokio::net::TcpListener;

use crate::helpers::TestApp;

/// An HTML page as the server sent it.
pub struct Sent {
    pub request: String,
    pub html: String,
}

type Kept = Arc<Mutex<Vec<Sent>>>;

pub struct Server {
    pub url: String,
    kept: Kept,
}

impl Server {
    /// Serves `app` on a free port of 127.0.0.1. Emailed links name this address, so a
    /// browser can follow them as they were sent.
    pub async fn start(app: &mut TestApp) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        app.reconfigure(|state| Arc::make_mut(&mut state.settings).base_url = url.clone());
        let kept = Kept::default();
        let router = app
            .router
            .clone()
            .layer(middleware::from_fn_with_state(kept.clone(), keep_html));
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        Self { url, kept }
    }

    /// The HTML pages sent so far, and forgets them.
    pub fn take_pages(&self) -> Vec<Sent> {
        std::mem::take(&mut *self.kept.lock().unwrap())
    }
}

async fn keep_html(State(kept): State<Kept>, mut request: Request, next: Next) -> Response {
    // Uncompressed, so the kept copy is the markup itself.
    request.headers_mut().remove(header::ACCEPT_ENCODING);
    let described = format!("{} {}", request.method(), request.uri());
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    kept.lock().unwrap().push(Sent {
        request: described,
        html: String::from_utf8(bytes.to_vec()).unwrap(),
    });
    Response::from_parts(parts, Body::from(bytes))
}
