//! Reading a [`TestResponse`]: what the app answered, with the body
//! collected.

use bytes::Bytes;
use http::header::SET_COOKIE;
use http::{HeaderMap, StatusCode};

/// What the app answered to a [`TestClient`](super::TestClient) request.
#[derive(Clone, Debug)]
pub struct TestResponse {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
}

impl TestResponse {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The first value of header `name`, if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// Every `Set-Cookie` header, in order.
    pub fn set_cookie_headers(&self) -> Vec<&str> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect()
    }

    /// The body as bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }

    /// The body as text, with invalid UTF-8 replaced by `U+FFFD`.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}
