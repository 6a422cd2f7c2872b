//! Sending a [`TestRequest`] through the app in-process: the `Host` and
//! `Cookie` headers a browser would add, the body limit the server would
//! apply, dispatch, and the jar updated from the answer.

use std::net::{Ipv4Addr, SocketAddr};

use http::header::{HeaderValue, COOKIE, HOST};
use http::StatusCode;
use http_body_util::BodyExt;

use super::{TestClient, TestRequest, TestResponse};
use crate::app::dispatch;
use crate::http_core::cookies::jar_url::JarUrl;
use crate::http_core::response::error_page;

impl TestClient {
    /// `path` resolved against the client's base URL.
    fn url_for(&self, path: &str) -> Option<JarUrl> {
        self.base.join(path)
    }

    /// Sends `request` to the app and collects its answer.
    pub(super) async fn send(&self, request: TestRequest<'_>) -> TestResponse {
        let TestRequest {
            method,
            path,
            mut headers,
            body,
            ..
        } = request;
        let url = self.url_for(&path);
        if !headers.contains_key(HOST) {
            if let Ok(host) = HeaderValue::try_from(self.base.authority()) {
                headers.insert(HOST, host);
            }
        }
        if let (Some(url), false) = (&url, headers.contains_key(COOKIE)) {
            if let Some(value) = self.cookie_header(url) {
                headers.insert(COOKIE, value);
            }
        }
        // Over https the target is in absolute form, so the request knows
        // its scheme (`request.scheme()`), as a browser's HTTP/2 request
        // does (Flask's test client sets `wsgi.url_scheme` the same way).
        let target = match url.as_ref() {
            Some(url) if self.base.is_https() && path.starts_with('/') => {
                format!("https://{}{path}", url.authority())
            }
            _ => path,
        };
        let response = match http::Request::builder()
            .method(method)
            .uri(&target)
            .body(())
        {
            Ok(mut built) => {
                *built.headers_mut() = headers;
                let (parts, ()) = built.into_parts();
                if body.len() > self.app.limits.max_body_size {
                    error_page(StatusCode::PAYLOAD_TOO_LARGE)
                        .into_http()
                        .unwrap_or_default()
                } else {
                    let remote = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
                    let mut response = dispatch::handle(&self.app, parts, body, remote).await;
                    // What hyper writes on the wire from the body's size.
                    dispatch::set_content_length(&mut response, true);
                    response
                }
            }
            Err(_) => error_page(StatusCode::BAD_REQUEST)
                .into_http()
                .unwrap_or_default(),
        };
        let (parts, body) = response.into_parts();
        let body = collect(body).await;
        if let Some(url) = &url {
            self.store_cookies(&parts.headers, url);
        }
        TestResponse {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }
}

/// The whole body, as a client would read it: a streamed body to its end,
/// or up to the error that cut it short (logged by the body).
async fn collect(mut body: crate::Body) -> bytes::Bytes {
    let mut chunks = Vec::new();
    while let Some(frame) = body.frame().await {
        match frame.map(http_body::Frame::into_data) {
            Ok(Ok(chunk)) => chunks.push(chunk),
            Ok(Err(_trailers)) => {}
            Err(_) => break,
        }
    }
    match chunks.len() {
        0 => bytes::Bytes::new(),
        1 => chunks.swap_remove(0),
        _ => chunks.concat().into(),
    }
}
