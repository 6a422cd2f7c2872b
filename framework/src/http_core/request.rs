//! The incoming request as a handler sees it: head, body already read;
//! query arguments, cookies, form fields, files and the session parsed on
//! first use.

use std::fmt;
use std::net::SocketAddr;
use std::ops::Deref;
#[cfg(feature = "sessions")]
use std::sync::Arc;
use std::sync::OnceLock;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, COOKIE};
use http::{HeaderMap, Method, Uri, Version};

use crate::http_core::cookies::{CookieLines, Cookies};
use crate::http_core::form::Form;
use crate::http_core::forwarded::{Forwarded, ProxyFix};
use crate::http_core::params::{parse_urlencoded, Params};
#[cfg(feature = "sessions")]
use crate::http_core::secret::KeySource;
#[cfg(feature = "sessions")]
use crate::http_core::session::store::SessionStore;
#[cfg(feature = "sessions")]
use crate::http_core::session::Session;

/// An HTTP request, with its body already read (within the app's body limit).
///
/// Handlers receive it as `&Request`:
///
/// ```
/// use phial::prelude::*;
///
/// #[route("/search")]
/// fn search(request: &Request) -> String {
///     let query = request.args.get("q", "");
///     let page = request.args.get("page", 1u32);
///     format!("{} {query} page {page}", request.method())
/// }
/// ```
pub struct Request {
    method: Method,
    uri: Uri,
    version: Version,
    headers: HeaderMap,
    remote_addr: SocketAddr,
    body: Bytes,
    decoded_path: Option<Box<str>>,
    /// What a trusted proxy said about the client (`App::behind_proxy`).
    forwarded: Option<Box<Forwarded>>,
    /// The query string's arguments (`?q=rust&page=2`), parsed on first use.
    pub args: Args,
    /// The cookies the client sent, parsed on first use.
    pub cookies: Cookies,
    /// The form fields of a URL-encoded or multipart body (`request.form.get("name", "")`).
    pub form: Form,
    /// Values stored for this request by name, as Flask's `g`: what a hook
    /// loads for the handler and the templates. See [`G`](crate::G).
    pub g: crate::G,
    /// The files of a multipart body (`request.files.get("file")`).
    #[cfg(feature = "multipart")]
    #[cfg_attr(docsrs, doc(cfg(feature = "multipart")))]
    pub files: crate::Files,
    /// The session: values kept for this user from request to request, in
    /// a signed cookie (`request.session.get("username", "")`), loaded on
    /// first use. See [`Session`](crate::Session).
    #[cfg(feature = "sessions")]
    #[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
    pub session: Session,
}

impl Request {
    /// Builds a request from its parts; the server and the test client call
    /// this. A query with more than `max_query_params` parameters is a bad
    /// request. `store` is where the session is kept, and holds the keys of
    /// signed and private cookies.
    ///
    /// # Errors
    ///
    /// For a bad request: the error, and the parts given back (so the
    /// access log can name the request without a copy of its head).
    pub(crate) fn new<#[cfg(feature = "sessions")] S: SessionStore + KeySource>(
        parts: http::request::Parts,
        body: Bytes,
        remote_addr: SocketAddr,
        max_query_params: usize,
        #[cfg(feature = "sessions")] store: Arc<S>,
    ) -> Result<Self, Box<(crate::Error, http::request::Parts)>> {
        let checked = decode_path(parts.uri.path()).and_then(|decoded_path| {
            let args = Args::new(parts.uri.path_and_query(), max_query_params)?;
            Ok((decoded_path, args))
        });
        let (decoded_path, args) = match checked {
            Ok(checked) => checked,
            Err(error) => return Err(Box::new((error, parts))),
        };
        // One pass over the headers for the two read here: a request holds
        // a handful, and each hash lookup costs as much as walking them.
        let mut content_type = None;
        let mut cookie_lines = CookieLines::default();
        for (name, value) in &parts.headers {
            if name == COOKIE {
                cookie_lines.push(value);
            } else if name == CONTENT_TYPE && content_type.is_none() {
                content_type = Some(value);
            }
        }
        #[cfg(feature = "sessions")]
        let (session, cookies) = (
            Session::new(Some(Arc::clone(&store) as _), cookie_lines.clone()),
            Cookies::from_lines(cookie_lines).with_keys(Some(store as _)),
        );
        #[cfg(not(feature = "sessions"))]
        let cookies = Cookies::from_lines(cookie_lines);
        #[cfg_attr(not(feature = "multipart"), allow(unused_variables))]
        let (form, files) = crate::http_core::form::read(content_type, &body);
        Ok(Self {
            method: parts.method,
            uri: parts.uri,
            version: parts.version,
            headers: parts.headers,
            remote_addr,
            body,
            decoded_path,
            forwarded: None,
            args,
            cookies,
            form,
            g: crate::G::default(),
            #[cfg(feature = "multipart")]
            files,
            #[cfg(feature = "sessions")]
            session,
        })
    }

    /// Sets the fields and files of a multipart body received as it
    /// arrived (its body, never held whole, reads empty).
    #[cfg(feature = "multipart")]
    pub(crate) fn set_upload(&mut self, upload: crate::http_core::upload::Upload) {
        self.form = Form::parsed(upload.fields);
        self.files = crate::Files::parsed(upload.files);
    }

    /// The request method, such as `GET`.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL path, percent-decoded (`/user/J%C3%BCrgen` reads `/user/Jürgen`).
    pub fn path(&self) -> &str {
        self.decoded_path.as_deref().unwrap_or(self.uri.path())
    }

    /// The request target as sent, path and query still encoded.
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// The raw query string without the `?`, if there is one.
    pub fn query_string(&self) -> Option<&str> {
        self.uri.query()
    }

    /// The HTTP version.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The request headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The first value of header `name` as text, or `None` if it is missing
    /// or is not valid UTF-8.
    pub fn header(&self, name: impl http::header::AsHeaderName) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// Takes what the trusted proxies in front of the app said about the
    /// client: its address, scheme, host and mount prefix.
    pub(crate) fn apply_proxy_fix(&mut self, fix: &ProxyFix) {
        let authority = self.uri.authority().map(http::uri::Authority::as_str);
        self.forwarded = fix.resolve(&self.headers, authority);
    }

    /// The address of the client (the test client reports `127.0.0.1:0`).
    ///
    /// Behind a proxy the app [trusts](crate::App::behind_proxy), the
    /// address the proxy says it served (port 0 if it gave none); else
    /// the address of the socket's other end.
    pub fn remote_addr(&self) -> SocketAddr {
        self.forwarded
            .as_ref()
            .and_then(|forwarded| forwarded.remote_addr)
            .unwrap_or(self.remote_addr)
    }

    /// The URL scheme the client used, `http` or `https` (Flask's
    /// `request.scheme`): what a [trusted](crate::App::behind_proxy) proxy
    /// says, else the request target's (HTTP/2 sends it), else `http`
    /// (phial itself serves no TLS).
    pub fn scheme(&self) -> &str {
        self.forwarded
            .as_ref()
            .and_then(|forwarded| forwarded.scheme)
            .or_else(|| self.uri.scheme_str())
            .unwrap_or("http")
    }

    /// Whether the client used HTTPS (Flask's `request.is_secure`): see
    /// [`scheme`](Self::scheme).
    pub fn is_secure(&self) -> bool {
        matches!(self.scheme(), "https" | "wss")
    }

    /// The host the request was sent to, with its port if the client gave
    /// one (`example.com:8443`; Flask's `request.host`): what a
    /// [trusted](crate::App::behind_proxy) proxy says, else the `Host`
    /// header, else the request target's authority (HTTP/2), else empty.
    pub fn host(&self) -> &str {
        if let Some(host) = self.forwarded.as_ref().and_then(|f| f.host.as_deref()) {
            return host;
        }
        self.header(http::header::HOST)
            .or_else(|| self.uri.authority().map(http::uri::Authority::as_str))
            .unwrap_or_default()
    }

    /// The path the app is mounted under, without a trailing `/` (Flask's
    /// `request.script_root`): what a trusted proxy says in
    /// `X-Forwarded-Prefix`, else empty. `url_for` writes it in front of
    /// every path.
    pub fn script_root(&self) -> &str {
        self.forwarded
            .as_ref()
            .and_then(|forwarded| forwarded.prefix.as_deref())
            .unwrap_or_default()
    }

    /// The scheme and host, with a trailing `/`
    /// (`https://example.com/`; Flask's `request.host_url`).
    pub fn host_url(&self) -> String {
        format!("{}://{}/", self.scheme(), self.host())
    }

    /// The scheme, host and [script root](Self::script_root), with a
    /// trailing `/` (`https://example.com/blog/`; Flask's
    /// `request.url_root`): what an external URL starts with.
    pub fn url_root(&self) -> String {
        format!("{}://{}{}/", self.scheme(), self.host(), self.script_root())
    }

    /// The request body as bytes.
    ///
    /// Empty for a `multipart/form-data` body over the app's spool
    /// threshold (`App::spool_threshold`) or of unknown length: that one is
    /// parsed as it arrives, never held whole; read it from `request.form`
    /// and `request.files`, as Werkzeug leaves `request.data` empty once
    /// it parsed a form.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The request body as text, with invalid UTF-8 replaced by `U+FFFD`.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("version", &self.version)
            .field("headers", &self.headers)
            .field("remote_addr", &self.remote_addr)
            .field("forwarded", &self.forwarded)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// Percent-decodes a request path; `None` when there was nothing to decode.
fn decode_path(raw: &str) -> Result<Option<Box<str>>, crate::Error> {
    if !raw.contains('%') {
        return Ok(None);
    }
    match percent_encoding::percent_decode_str(raw).decode_utf8() {
        Ok(decoded) => Ok(Some(decoded.into())),
        Err(_) => Err(crate::Error::bad_request(
            "the request path is not valid UTF-8 once percent-decoded",
        )),
    }
}

/// The query string's arguments: a [`Params`] parsed on first use. There
/// are at most [`App::max_query_params`](crate::App::max_query_params) of
/// them: a request with more is answered `400` before the handler runs.
///
/// Use it through [`Params`]' methods: `request.args.get("q", "")`.
pub struct Args {
    // A cheap, reference-counted clone of the target: no copy until parsed.
    target: Option<http::uri::PathAndQuery>,
    max_pairs: usize,
    parsed: OnceLock<Params>,
}

impl Args {
    /// The arguments of `target`'s query, to parse on first use; an error
    /// if it has more than `max_pairs`.
    fn new(
        target: Option<&http::uri::PathAndQuery>,
        max_pairs: usize,
    ) -> Result<Self, crate::Error> {
        let target = target.filter(|t| t.query().is_some());
        if let Some(query) = target.and_then(http::uri::PathAndQuery::query) {
            if more_pairs_than(query, max_pairs) {
                return Err(crate::Error::bad_request(
                    "the query string has more parameters than App::max_query_params allows",
                ));
            }
        }
        Ok(Self {
            target: target.cloned(),
            max_pairs,
            parsed: OnceLock::new(),
        })
    }
}

/// Whether `query` holds more than `max` pairs, as `form_urlencoded` splits
/// them (on `&`, skipping empty pieces). Each pair takes a byte and all but
/// the last a `&`, so a query shorter than `2 * max` is never scanned;
/// a longer one is scanned only up to its `max + 1`th pair.
fn more_pairs_than(query: &str, max: usize) -> bool {
    if query.len() < max.saturating_mul(2) {
        return false;
    }
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .nth(max)
        .is_some()
}

impl Deref for Args {
    type Target = Params;

    fn deref(&self) -> &Params {
        self.parsed.get_or_init(
            || match self.target.as_ref().and_then(|target| target.query()) {
                Some(query) => parse_urlencoded(query, self.max_pairs),
                None => Params::new(),
            },
        )
    }
}

impl fmt::Debug for Args {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::more_pairs_than;

    #[test]
    fn pairs_are_counted_as_form_urlencoded_splits_them() {
        for query in [
            "",
            "a",
            "a&b&c",
            "a=1&&b=&&=c&&&",
            "&&&&&&&&",
            "a&b&c&d",
            "x=1;y=2",
        ] {
            let pairs = form_urlencoded::parse(query.as_bytes()).count();
            for max in 0..6 {
                assert_eq!(more_pairs_than(query, max), pairs > max, "{query:?} {max}");
            }
        }
    }
}
