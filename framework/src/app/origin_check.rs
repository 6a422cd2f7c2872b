//! The cross-origin check itself (Go 1.25's `CrossOriginProtection`): the
//! settings and what a request's `Sec-Fetch-Site` and `Origin` say. The
//! app's side (exemptions, the answer, `App`'s setters) is in
//! `cross_origin.rs`.

use std::any::TypeId;
use std::collections::HashSet;

use http::header::ORIGIN;
use http::Method;

use crate::Request;

/// The app's settings for cross-origin protection.
#[derive(Clone, Debug)]
pub(crate) struct CrossOrigin {
    pub(crate) enabled: bool,
    /// Whether unsafe requests must also carry the session's CSRF token.
    #[cfg_attr(not(feature = "sessions"), allow(dead_code))]
    pub(crate) tokens: bool,
    pub(crate) allow_same_site: bool,
    /// Origins whose requests pass (`https://app.example.com`), as sent in
    /// `Origin`, lowercase.
    pub(crate) trusted: Vec<Box<str>>,
    /// Handlers exempt (token-authenticated APIs, say).
    pub(crate) exempt: HashSet<TypeId>,
}

impl Default for CrossOrigin {
    fn default() -> Self {
        Self {
            enabled: true,
            tokens: false,
            allow_same_site: false,
            trusted: Vec::new(),
            exempt: HashSet::new(),
        }
    }
}

impl CrossOrigin {
    /// Why `request` is refused, or `None` when it passes.
    pub(crate) fn refusal(&self, request: &Request) -> Option<&'static str> {
        if !self.enabled {
            return None;
        }
        match request.header("sec-fetch-site") {
            Some("same-origin" | "none") => return None,
            Some("same-site") if self.allow_same_site => return None,
            Some(_) if self.is_trusted(request) => return None,
            Some(_) => {
                return Some(
                    "the browser says this request came from another site (Sec-Fetch-Site)",
                )
            }
            None => {}
        }
        let origin = request.header(ORIGIN)?;
        if same_host(origin, request) || self.is_trusted(request) {
            return None;
        }
        Some("its Origin is not this site (and the browser sent no Sec-Fetch-Site)")
    }

    fn is_trusted(&self, request: &Request) -> bool {
        request.header(ORIGIN).is_some_and(|origin| {
            self.trusted
                .iter()
                .any(|trusted| trusted.eq_ignore_ascii_case(origin))
        })
    }
}

/// GET, HEAD, OPTIONS and TRACE change nothing: never refused.
pub(crate) fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Whether `origin` (`scheme://host[:port]`) names the host the request
/// was sent to (`Host`, or the URI's authority over HTTP/2; behind a
/// trusted proxy, the host it says).
fn same_host(origin: &str, request: &Request) -> bool {
    let host = request.host();
    let origin_host = origin
        .split_once("://")
        .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
    !host.is_empty() && !origin_host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}
