//! The response side: `Set-Cookie` headers, built with chained setters and
//! validated when the response is sent.

use http::header::SET_COOKIE;
use http::{HeaderMap, HeaderValue};

use super::SameSite;

/// A cookie to set (or delete) on a response; returned by
/// [`Response::set_cookie`](crate::Response::set_cookie) so its attributes
/// can be chained.
///
/// ```
/// use phial::prelude::*;
///
/// let mut response = make_response("Hello");
/// response
///     .set_cookie("theme", "dark")
///     .max_age(3600)
///     .http_only(true)
///     .same_site(SameSite::Lax);
/// ```
#[derive(Clone, Debug)]
pub struct SetCookie {
    name: String,
    value: String,
    max_age: Option<i64>,
    path: Option<String>,
    domain: Option<String>,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
}

impl SetCookie {
    pub(crate) fn new(name: String, value: String) -> Self {
        Self {
            name,
            value,
            max_age: None,
            path: Some("/".to_owned()),
            domain: None,
            secure: false,
            http_only: false,
            same_site: None,
        }
    }

    /// The cookie's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cookie's value, before encoding.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Keeps the cookie for `seconds` (the `Max-Age` attribute).
    pub fn max_age(&mut self, seconds: i64) -> &mut Self {
        self.max_age = Some(seconds);
        self
    }

    /// Limits the cookie to URLs under `path` (default `/`).
    pub fn path(&mut self, path: impl Into<String>) -> &mut Self {
        self.path = Some(path.into());
        self
    }

    /// Sends the cookie to `domain` and its subdomains.
    pub fn domain(&mut self, domain: impl Into<String>) -> &mut Self {
        self.domain = Some(domain.into());
        self
    }

    /// Sends the cookie over HTTPS only.
    pub fn secure(&mut self, secure: bool) -> &mut Self {
        self.secure = secure;
        self
    }

    /// Hides the cookie from JavaScript (`document.cookie`).
    pub fn http_only(&mut self, http_only: bool) -> &mut Self {
        self.http_only = http_only;
        self
    }

    /// Restricts the cookie on cross-site requests.
    pub fn same_site(&mut self, same_site: SameSite) -> &mut Self {
        self.same_site = Some(same_site);
        self
    }

    fn to_header(&self) -> Result<HeaderValue, String> {
        let mut cookie = cookie::Cookie::new(self.name.as_str(), self.value.as_str());
        if let Some(path) = &self.path {
            cookie.set_path(path.as_str());
        }
        if let Some(domain) = &self.domain {
            cookie.set_domain(domain.as_str());
        }
        if let Some(max_age) = self.max_age {
            cookie.set_max_age(time::Duration::seconds(max_age));
        }
        if self.secure {
            cookie.set_secure(true);
        }
        if self.http_only {
            cookie.set_http_only(true);
        }
        cookie.set_same_site(self.same_site);
        HeaderValue::try_from(cookie.to_string())
            .map_err(|_| format!("cookie `{}` does not form a valid header", self.name))
    }
}

/// Appends one `Set-Cookie` header per cookie.
pub(crate) fn write_set_cookie_headers(
    cookies: &[SetCookie],
    headers: &mut HeaderMap,
) -> Result<(), String> {
    for cookie in cookies {
        headers.append(SET_COOKIE, cookie.to_header()?);
    }
    Ok(())
}
