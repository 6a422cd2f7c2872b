//! The request side: `Cookie` header parsing, done lazily on first use.

use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use http::header::COOKIE;
use http::{HeaderMap, HeaderValue};

use crate::params::Params;

/// At most this many cookie pairs are read from one request.
const MAX_PAIRS: usize = 3000;

/// The cookies a request carries: a [`Params`] parsed from the `Cookie`
/// header(s) on first use.
///
/// ```
/// use phial::prelude::*;
///
/// #[route("/user")]
/// fn user(request: &Request) -> String {
///     let username = request.cookies.get("username", "Guest");
///     format!("Hello, {username}!")
/// }
/// ```
pub struct Cookies {
    // Cheap reference-counted clones of the header values: nothing is parsed
    // or copied until a handler reads a cookie.
    headers: Vec<HeaderValue>,
    parsed: OnceLock<Params>,
}

impl Cookies {
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        Self {
            headers: headers.get_all(COOKIE).iter().cloned().collect(),
            parsed: OnceLock::new(),
        }
    }

    fn parse(&self) -> Params {
        let mut text = String::new();
        let mut spans = Vec::new();
        for header in &self.headers {
            for pair in header.as_bytes().split(|b| *b == b';') {
                if spans.len() == MAX_PAIRS {
                    break;
                }
                let pair = trim(pair);
                let Some(eq) = pair.iter().position(|b| *b == b'=') else {
                    continue;
                };
                let (name, value) = (trim(&pair[..eq]), trim(&pair[eq + 1..]));
                if name.is_empty() {
                    continue;
                }
                let (Ok(name), Ok(value)) = (std::str::from_utf8(name), std::str::from_utf8(value))
                else {
                    continue;
                };
                let start = text.len();
                text.push_str(name);
                let middle = text.len();
                text.push_str(value);
                spans.push((start..middle, middle..text.len()));
            }
        }
        let mut params = Params::with_text(text);
        for (name, value) in spans {
            params.push_span(name, value);
        }
        params
    }
}

fn trim(mut bytes: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = bytes {
        bytes = rest;
    }
    bytes
}

impl Deref for Cookies {
    type Target = Params;

    fn deref(&self) -> &Params {
        self.parsed.get_or_init(|| self.parse())
    }
}

impl fmt::Debug for Cookies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
