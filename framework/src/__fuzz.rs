//! Internal entry points for phial's fuzz targets (`fuzz/`), compiled only
//! with the `fuzzing` feature. Not part of the public API: no stability
//! promise, never enable the feature in an app.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue};
use serde_json::{Map, Value};

use crate::app::routing::router::{self, Outcome};
use crate::http_core::pattern::Pattern;
use crate::http_core::secret::Keys;
use crate::web::sessions::SessionSettings;
use crate::{Files, Form, Params};

/// The cookie name the session functions below use (Flask's default).
pub const SESSION_COOKIE: &str = "session";

/// Parses one raw `Cookie` header line (any bytes, as the server reads it).
pub fn parse_cookie_header(header: &[u8]) -> Params {
    crate::http_core::cookies::parse_headers(std::iter::once(header))
}

/// Parses a query string as `request.args` does, reading at most
/// `max_pairs` pairs.
pub fn parse_urlencoded(text: &str, max_pairs: usize) -> Params {
    crate::http_core::params::parse_urlencoded(text, max_pairs)
}

/// Reads a request body as `request.form` and `request.files` do (a
/// malformed multipart body reads as empty); `None` when `content_type` is
/// not a valid header value.
pub fn read_form(content_type: &str, body: &[u8]) -> Option<(Form, Files)> {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).ok()?);
    Some(crate::http_core::form::read(
        headers.get(http::header::CONTENT_TYPE),
        &Bytes::copy_from_slice(body),
    ))
}

/// How a request path relates to one route pattern.
#[derive(Debug, PartialEq, Eq)]
pub enum RouteMatch {
    /// The route matches; the byte ranges of its variables in the path.
    Match(Vec<(usize, usize)>),
    /// The route ends in `/` and the path is the same without it.
    RedirectWithSlash,
    /// No match.
    No,
}

/// Matches `path` against `pattern` compiled as the router compiles routes.
pub fn match_route(pattern: &Pattern<'_>, path: &str) -> RouteMatch {
    let (outcome, spans) = router::match_for_fuzzing(pattern, path);
    match outcome {
        Outcome::Match => RouteMatch::Match(
            spans
                .into_iter()
                .map(|(start, end)| (start as usize, end as usize))
                .collect(),
        ),
        Outcome::RedirectWithSlash => RouteMatch::RedirectWithSlash,
        Outcome::No => RouteMatch::No,
    }
}

fn settings(secret: &[u8]) -> SessionSettings {
    let mut settings = SessionSettings::from_environment();
    settings.keys = Keys::default();
    settings.keys.set_current(secret);
    settings.cookie_name = SESSION_COOKIE.to_owned();
    settings
}

/// The signed session cookie value an app with `secret` (at least
/// [`MIN_SECRET_KEY_LEN`](crate::MIN_SECRET_KEY_LEN) bytes) sends for `values`.
pub fn encode_session(secret: &[u8], values: &Map<String, Value>) -> String {
    let settings = settings(secret);
    let key = settings.keys.current().expect("a key was just set");
    crate::web::sessions::encode_for_fuzzing(key, &settings, values)
}

/// The session values an app with `secret` loads from cookie value `raw`;
/// `None` when the value is refused.
pub fn decode_session(secret: &[u8], raw: &str) -> Option<Map<String, Value>> {
    let settings = settings(secret);
    let keys = settings.keys.readers().ok()?;
    crate::web::sessions::decode_for_fuzzing(keys, &settings, raw)
}

/// `value` signed for the session cookie with `secret`, as the session
/// writes it (`value.MAC`).
pub fn sign_session_value(secret: &[u8], value: &str) -> String {
    let settings = settings(secret);
    let key = settings.keys.current().expect("a key was just set");
    crate::http_core::cookies::secure::sign(key, SESSION_COOKIE, value)
}
