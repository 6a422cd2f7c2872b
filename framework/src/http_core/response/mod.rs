//! The outgoing response: status, headers, body and the cookies to set.

mod abort;
mod body;
mod error_page;
pub(crate) mod file_body;
mod into_response;
mod redirect;
mod stream;

use std::fmt;

use http::header::{HeaderName, HeaderValue, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};

/// `X-Content-Type-Options`' only value.
pub(crate) const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
use http::{HeaderMap, StatusCode};
use smallvec::SmallVec;

pub use abort::{abort, Abort};
pub use body::Body;
pub(crate) use body::Held;
pub(crate) use error_page::error_page;
pub use into_response::IntoResponse;
pub use redirect::{is_local_redirect, redirect, redirect_local, redirect_with};

use crate::http_core::cookies::{cookie_text, CookieRegistry, CookieText, SetCookie};

pub(crate) const TEXT_HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

/// An HTTP response.
///
/// Build one with [`make_response`] or [`Response::new`] from anything that
/// converts to a body; strings are sent as `text/html; charset=utf-8`, as
/// Flask does.
///
/// ```
/// use phial::prelude::*;
///
/// let response = Response::new("Created")
///     .with_status(StatusCode::CREATED)
///     .with_header("X-Request-Id", "42");
/// assert_eq!(response.status(), StatusCode::CREATED);
/// assert_eq!(response.headers()["x-request-id"], "42");
/// ```
pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
    /// Inline up to one: a response that sets a cookie needs no allocation
    /// for the list (the seed app's `GET /`, `tests/allocations.rs`).
    cookies: SmallVec<[SetCookie; 1]>,
    /// Made by phial for an error (a 404, an abort, a panic): an app's
    /// error handler may replace it.
    pub(crate) is_error_page: bool,
    /// The error a handler returned, behind its 500 page: the app logs it
    /// with the request (and shows it in debug mode).
    pub(crate) error: Option<Box<crate::Error>>,
}

/// Makes a response from anything a handler may return, as Flask's
/// `make_response` does, so headers and cookies can be added to it.
///
/// ```
/// use phial::prelude::*;
///
/// #[route("/")]
/// async fn index() -> Response {
///     let mut response = make_response("Hello, World!");
///     response.set_cookie("username", "bob");
///     response
/// }
/// ```
pub fn make_response(body: impl IntoResponse) -> Response {
    body.into_response()
}

impl Response {
    /// A `200 OK` response with `body` (see [`IntoResponse`] for the content
    /// type each kind of body gets).
    pub fn new(body: impl IntoResponse) -> Self {
        body.into_response()
    }

    /// A response with this status, content type and body, nothing else.
    /// A content type phial chose comes with `X-Content-Type-Options:
    /// nosniff`: browsers take it as said (an uploaded text file is no
    /// script).
    pub(crate) fn from_parts(
        status: StatusCode,
        content_type: Option<HeaderValue>,
        body: Body,
    ) -> Self {
        let mut headers = HeaderMap::new();
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, content_type);
            headers.insert(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        }
        Self {
            status,
            headers,
            body,
            cookies: SmallVec::new(),
            is_error_page: false,
            error: None,
        }
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Changes the status code.
    pub fn set_status(&mut self, status: StatusCode) {
        self.status = status;
    }

    /// The response with its status code changed.
    #[must_use = "this returns the changed response"]
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The headers (cookies set with [`set_cookie`](Self::set_cookie) are
    /// added as `Set-Cookie` headers when the response is sent).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers, to change.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.headers
    }

    /// Sets header `name` to `value`, replacing any value it had.
    ///
    /// # Panics
    ///
    /// If `name` is not a valid header name or `value` not a valid header
    /// value (a newline, say): such a header would let a client's input
    /// inject others. Use [`headers_mut`](Self::headers_mut) with
    /// `HeaderValue::try_from` to handle that case yourself.
    pub fn set_header<K, V>(&mut self, name: K, value: V)
    where
        K: TryInto<HeaderName>,
        K::Error: fmt::Debug,
        V: TryInto<HeaderValue>,
        V::Error: fmt::Debug,
    {
        let name = name.try_into().expect("invalid header name");
        let value = value
            .try_into()
            .unwrap_or_else(|e| panic!("invalid value for header `{name}`: {e:?}"));
        self.headers.insert(name, value);
    }

    /// The response with header `name` set to `value`.
    ///
    /// # Panics
    ///
    /// As [`set_header`](Self::set_header).
    #[must_use = "this returns the changed response"]
    pub fn with_header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        K::Error: fmt::Debug,
        V: TryInto<HeaderValue>,
        V::Error: fmt::Debug,
    {
        self.set_header(name, value);
        self
    }

    /// The `Content-Type` header, if set and valid UTF-8.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// The response with its `Content-Type` set, such as `"text/plain"`.
    ///
    /// # Panics
    ///
    /// If `content_type` is not a valid header value.
    #[must_use = "this returns the changed response"]
    pub fn with_content_type(self, content_type: &str) -> Self {
        self.with_header(CONTENT_TYPE, content_type)
    }

    /// The body: bytes in memory, or a stream or file sent as it is read
    /// (see [`Body`]).
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// The body, to change (a file's ranges).
    pub(crate) fn body_mut(&mut self) -> &mut Body {
        &mut self.body
    }

    /// Replaces the body, keeping status and headers.
    pub fn set_body(&mut self, body: impl Into<Body>) {
        self.body = body.into();
    }

    /// Sets cookie `name` to `value` (with `Path=/`), and returns it so its
    /// attributes can be chained: [`max_age`](SetCookie::max_age),
    /// [`expires`](SetCookie::expires), [`path`](SetCookie::path),
    /// [`domain`](SetCookie::domain), [`secure`](SetCookie::secure),
    /// [`http_only`](SetCookie::http_only), [`same_site`](SetCookie::same_site),
    /// [`partitioned`](SetCookie::partitioned). Each call adds its own
    /// `Set-Cookie` header, never replacing another.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let mut response = make_response("Saved");
    /// response.set_cookie("theme", "dark").max_age(86_400).http_only(true);
    /// ```
    ///
    /// Any UTF-8 value works: it is encoded as Werkzeug does (bare when it
    /// holds only cookie-safe characters, else double-quoted with `\"`,
    /// `\\` and octal escapes), so [`request.cookies`](crate::Request::cookies)
    /// and Flask apps on the same domain read it back exactly.
    ///
    /// # Errors
    ///
    /// Nothing fails here; the cookie is checked when the response is sent.
    /// A name that is not an RFC 6265 token (empty, or holding spaces,
    /// `;`, `=`, `"`, non-ASCII...), or a path or domain holding `;`,
    /// control or non-ASCII characters, is a programming error: the request
    /// is answered `500 Internal Server Error` and the log names the cookie
    /// and the rule, instead of sending a broken or injected header.
    ///
    /// What browsers silently drop is sent, with a warning in the log naming
    /// the cookie and the reason: a cookie over 4096 bytes, `SameSite=None`
    /// without `Secure`, a `__Secure-` cookie without `Secure`, a `__Host-`
    /// cookie without `Secure`, with a `Domain` or with a path other than
    /// `/`, and a `Max-Age` beyond 400 days.
    pub fn set_cookie(&mut self, name: impl CookieText, value: impl CookieText) -> &mut SetCookie {
        self.cookies
            .push(SetCookie::new(cookie_text(name), cookie_text(value)));
        self.cookies.last_mut().expect("just pushed")
    }

    /// Removes cookie `name` from the browser: sends Flask's
    /// `name=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/`,
    /// whether or not the request carried the cookie.
    ///
    /// A removal only works when its path and domain match the cookie's, so
    /// phial makes it hard to miss: unless a setter says otherwise, the
    /// path, domain, `Secure`, `SameSite` and `Partitioned` are those of the
    /// last [`set_cookie`](Self::set_cookie) of that name on this response,
    /// else of the last one the app sent for that name (on any request).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[route("/login")]
    /// fn login() -> Response {
    ///     let mut response = make_response("Welcome");
    ///     response.set_cookie("sid", "abc").path("/app").http_only(true);
    ///     response
    /// }
    ///
    /// #[route("/logout")]
    /// fn logout() -> Response {
    ///     let mut response = make_response("Bye");
    ///     response.delete_cookie("sid"); // sent with Path=/app
    ///     response
    /// }
    /// ```
    ///
    /// # Errors
    ///
    /// As for [`set_cookie`](Self::set_cookie).
    pub fn delete_cookie(&mut self, name: impl CookieText) -> &mut SetCookie {
        self.cookies.push(SetCookie::removal(cookie_text(name)));
        self.cookies.last_mut().expect("just pushed")
    }

    /// Sets a signed cookie: as [`set_cookie`](Self::set_cookie), with the
    /// value signed with the app's secret key (HMAC-SHA256) when the
    /// response is sent. The browser can read the value but not change it
    /// unnoticed; read it back with
    /// [`request.cookies.get_signed`](crate::Cookies::get_signed).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[route("/login")]
    /// fn login() -> Response {
    ///     let mut response = make_response("Welcome");
    ///     response.set_signed_cookie("user", "ann").http_only(true);
    ///     response
    /// }
    /// ```
    ///
    /// # Errors
    ///
    /// As for [`set_cookie`](Self::set_cookie); in a release build of an
    /// app without a secret key, the response is a 500 and the log says
    /// how to set one.
    #[cfg(feature = "sessions")]
    #[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
    pub fn set_signed_cookie(
        &mut self,
        name: impl CookieText,
        value: impl CookieText,
    ) -> &mut SetCookie {
        let cookie = self.set_cookie(name, value);
        cookie.kind = crate::http_core::cookies::secure::Kind::Signed;
        cookie
    }

    /// Sets a private cookie: as [`set_cookie`](Self::set_cookie), with the
    /// value encrypted with the app's secret key (AES-256-GCM) when the
    /// response is sent, so the browser can neither read nor change it;
    /// read it back with
    /// [`request.cookies.get_private`](crate::Cookies::get_private).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[route("/")]
    /// fn index() -> Response {
    ///     let mut response = make_response("");
    ///     response.set_private_cookie("balance", "100").max_age(3600);
    ///     response
    /// }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`set_signed_cookie`](Self::set_signed_cookie).
    #[cfg(feature = "sessions")]
    #[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
    pub fn set_private_cookie(
        &mut self,
        name: impl CookieText,
        value: impl CookieText,
    ) -> &mut SetCookie {
        let cookie = self.set_cookie(name, value);
        cookie.kind = crate::http_core::cookies::secure::Kind::Private;
        cookie
    }

    /// Adds a cookie made elsewhere (the session's).
    pub(crate) fn push_cookie(&mut self, cookie: SetCookie) {
        self.cookies.push(cookie);
    }

    /// The cookies set (and deleted) on this response so far, in call order.
    pub fn cookies(&self) -> &[SetCookie] {
        &self.cookies
    }

    /// Turns this into the `http` crate's response, writing the cookies as
    /// `Set-Cookie` headers.
    pub(crate) fn into_http(self) -> Result<http::Response<Body>, String> {
        self.into_http_for(None, None)
    }

    /// As [`into_http`](Self::into_http); removals reuse the scope the app
    /// set each cookie name with, from `registry`, and signed and private
    /// cookies are sealed with `keys`.
    pub(crate) fn into_http_for(
        self,
        registry: Option<&CookieRegistry>,
        keys: Option<&crate::http_core::secret::Keys>,
    ) -> Result<http::Response<Body>, String> {
        let mut headers = self.headers;
        crate::http_core::cookies::write_set_cookie_headers(
            &self.cookies,
            &mut headers,
            registry,
            keys,
        )?;
        let mut response = http::Response::new(self.body);
        *response.status_mut() = self.status;
        *response.headers_mut() = headers;
        Ok(response)
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("cookies", &self.cookies)
            .finish()
    }
}
