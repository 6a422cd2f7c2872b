//! Building a [`TestRequest`]: method, path, headers and body, sent when
//! awaited.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::{HeaderMap, Method};

use super::{TestClient, TestResponse};

/// A request being built by a [`TestClient`]; `.await` it to send it.
#[must_use = "a test request is sent only when awaited"]
pub struct TestRequest<'c> {
    pub(super) client: &'c TestClient,
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
}

impl TestRequest<'_> {
    /// Adds a header.
    ///
    /// # Panics
    ///
    /// If `name` or `value` is not valid in a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::try_from(name).expect("a valid header name");
        let value = HeaderValue::try_from(value).expect("a valid header value");
        self.headers.append(name, value);
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Sends `fields` as an `application/x-www-form-urlencoded` body, as an
    /// HTML form does.
    pub fn form<K: AsRef<str>, V: AsRef<str>>(mut self, fields: &[(K, V)]) -> Self {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
            .finish();
        self.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self.body = body.into();
        self
    }
}

impl fmt::Debug for TestRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl<'c> IntoFuture for TestRequest<'c> {
    type Output = TestResponse;
    type IntoFuture = Pin<Box<dyn Future<Output = TestResponse> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        let client = self.client;
        Box::pin(client.send(self))
    }
}
