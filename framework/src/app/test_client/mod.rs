//! Driving an app in-process, without a socket, as Flask's test client does:
//! the client and its cookie jar. Building a request is `request.rs`'s job,
//! sending it `send.rs`'s, reading the answer `response.rs`'s.

mod request;
mod response;
mod send;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::header::{HeaderValue, SET_COOKIE};
use http::{HeaderMap, Method};

use crate::app::application::{App, AppInner};
use crate::http_core::cookies::jar::Jar;
use crate::http_core::cookies::jar_url::JarUrl;

pub use request::TestRequest;
pub use response::TestResponse;

/// A client that sends requests straight to an app, no network involved,
/// and keeps the cookies the app sets, like a browser: per domain and path,
/// most specific path first, honouring `Max-Age`, `Expires` (see
/// [`advance_clock`](Self::advance_clock)), `Secure` (by the scheme of
/// [`with_base_url`](Self::with_base_url)), the `__Host-`/`__Secure-`
/// prefixes, deletions and replacements.
///
/// ```
/// use phial::prelude::*;
///
/// #[route("/")]
/// fn index() -> &'static str {
///     "Hello, World!"
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let client = App::new().route(index).test_client();
/// let response = client.get("/").await;
/// assert_eq!(response.status(), StatusCode::OK);
/// assert_eq!(response.text(), "Hello, World!");
/// # }
/// ```
#[derive(Clone)]
pub struct TestClient {
    app: Arc<AppInner>,
    jar: Arc<Mutex<Jar>>,
    base: JarUrl,
}

#[cfg_attr(docsrs, doc(cfg(feature = "test-client")))]
impl App {
    /// A [`TestClient`] for this app, with an empty cookie jar. Requests go
    /// to `http://localhost`.
    ///
    /// # Panics
    ///
    /// If a handler takes what the app doesn't provide (state never
    /// registered), with the message [`run`](App::run) would return.
    pub fn test_client(&self) -> TestClient {
        let app = self.clone().with_discovered();
        if let Err(problems) = app.inner.check_start() {
            panic!("{}", crate::Error::setup(problems));
        }
        TestClient {
            app: app.inner,
            jar: Arc::default(),
            base: JarUrl::parse("http://localhost/").expect("a valid URL"),
        }
    }
}

impl TestClient {
    /// Starts a request with `method` to `path` (which may carry a query
    /// string, as in `/search?q=rust`).
    pub fn request(&self, method: Method, path: &str) -> TestRequest<'_> {
        TestRequest {
            client: self,
            method,
            path: path.to_owned(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// Starts a `GET` request.
    pub fn get(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::GET, path)
    }

    /// Starts a `POST` request.
    pub fn post(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::POST, path)
    }

    /// Starts a `PUT` request.
    pub fn put(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::PUT, path)
    }

    /// Starts a `PATCH` request.
    pub fn patch(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::PATCH, path)
    }

    /// Starts a `DELETE` request.
    pub fn delete(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::DELETE, path)
    }

    /// Starts a `HEAD` request.
    pub fn head(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::HEAD, path)
    }

    /// Starts an `OPTIONS` request.
    pub fn options(&self, path: &str) -> TestRequest<'_> {
        self.request(Method::OPTIONS, path)
    }

    /// The same client (sharing its jar) sending requests to `base`, such
    /// as `https://localhost` to test `Secure` cookies: the jar sends those
    /// over `https` only, like a browser.
    ///
    /// ```
    /// # use phial::App;
    /// let client = App::new().test_client().with_base_url("https://localhost");
    /// ```
    ///
    /// # Panics
    ///
    /// If `base` is not an absolute `http` or `https` URL with a host.
    #[must_use = "this returns a new client"]
    pub fn with_base_url(mut self, base: &str) -> Self {
        let Some(url) = JarUrl::parse(base) else {
            panic!("a test client's base URL must be http or https with a host, got {base}");
        };
        self.base = url;
        self
    }

    fn jar(&self) -> std::sync::MutexGuard<'_, Jar> {
        self.jar.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The `Cookie` header the jar sends to `url`, if any.
    fn cookie_header(&self, url: &JarUrl) -> Option<HeaderValue> {
        let cookie = self.jar().header_for(url);
        cookie.and_then(|c| HeaderValue::try_from(c).ok())
    }

    /// Stores in the jar the cookies `headers` set, as answered to `url`.
    fn store_cookies(&self, headers: &HeaderMap, url: &JarUrl) {
        let mut jar = self.jar();
        for header in headers.get_all(SET_COOKIE) {
            if let Ok(text) = header.to_str() {
                jar.store(text, url);
            }
        }
    }

    /// The value of cookie `name` in the jar, decoded as
    /// [`request.cookies`](crate::Request::cookies) would read it: the first
    /// one a request to this client's host would carry (most specific path
    /// first), whatever its path. `None` if it is missing or has expired.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[route("/")]
    /// fn index() -> Response {
    ///     let mut response = make_response("");
    ///     response.set_cookie("lang", "café");
    ///     response
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = App::new().route(index).test_client();
    /// client.get("/").await;
    /// assert_eq!(client.get_cookie("lang").as_deref(), Some("café"));
    /// # }
    /// ```
    pub fn get_cookie(&self, name: &str) -> Option<String> {
        self.jar().get(name, &self.base)
    }

    /// Puts cookie `name=value` (path `/`, this client's host, no expiry) in
    /// the jar, replacing one with the same name and path. The value is
    /// encoded as the server would, so any text reads back exactly.
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar().insert(name, value, &self.base);
    }

    #[cfg(feature = "sessions")]
    #[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
    /// Runs `f` on the session the jar's session cookie holds, as Flask's
    /// `client.session_transaction()`: read it, or seed it (log a user in
    /// without going through the login form). If `f` changed the session,
    /// the new session cookie (signed with the app's key) goes into the jar
    /// for the next requests.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[route("/")]
    /// fn index(request: &Request) -> String {
    ///     request.session.get("user", "nobody")
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = App::new().route(index).test_client();
    /// client.session_transaction(|session| session.insert("user", "ann"));
    /// assert_eq!(client.get("/").await.text(), "ann");
    /// let user = client.session_transaction(|session| session.get("user", ""));
    /// assert_eq!(user, "ann");
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// As [`Session`](crate::Session)'s methods, and if the changed session
    /// cookie can't be written (an invalid cookie path or domain in the
    /// app's session settings).
    pub fn session_transaction<R>(&self, f: impl FnOnce(&crate::Session) -> R) -> R {
        let mut lines = crate::http_core::cookies::CookieLines::default();
        if let Some(value) = self.cookie_header(&self.base) {
            lines.push(&value);
        }
        let session = crate::Session::new(Some(self.app.sessions.clone()), lines);
        let output = f(&session);
        if let Some(cookie) = saved_cookie(session.finish().1) {
            let mut written = HeaderMap::new();
            crate::http_core::cookies::write_set_cookie_headers(
                &[cookie],
                &mut written,
                None,
                Some(&self.app.sessions.keys),
            )
            .unwrap_or_else(|message| panic!("the session cookie can't be written: {message}"));
            self.store_cookies(&written, &self.base);
        }
        output
    }

    /// Empties the jar.
    pub fn clear_cookies(&self) {
        self.jar().clear();
    }

    /// Moves the jar's clock forward: cookies whose `Max-Age` or `Expires`
    /// falls within `by` are gone from the next request.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.jar().advance(by);
    }
}

impl fmt::Debug for TestClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestClient")
            .field("base", &self.base.to_string())
            .finish_non_exhaustive()
    }
}

/// The cookie a session's save gives, its server-side write (Redis, memory)
/// made first: awaited on a thread of its own, since `session_transaction`
/// is synchronous and may be called inside the test's runtime.
#[cfg(feature = "sessions")]
fn saved_cookie(
    saved: crate::http_core::session::store::Saved,
) -> Option<crate::http_core::cookies::SetCookie> {
    use crate::http_core::session::store::Saved;
    let writing = match saved {
        Saved::Ready(cookie) => return cookie,
        Saved::Pending(writing) => writing,
    };
    let written = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime for the session's write")
                    .block_on(writing)
            })
            .join()
    });
    match written {
        Ok(Ok(cookie)) => cookie,
        Ok(Err(unavailable)) => panic!("session_transaction: {unavailable}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
