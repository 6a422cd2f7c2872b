//! Why a browser would reject a `Set-Cookie` on the page that sets it, or
//! never send the cookie back there: the rules browsers apply (RFC 6265bis,
//! as Chrome's and Firefox's devtools explain them) that depend on the page.
//! The rules that don't (size, `SameSite=None` without `Secure`, the name
//! prefixes) are `http_core/cookies/check.rs`'s, logged as a cookie is
//! written.

use cookie::Cookie;
use time::OffsetDateTime;

/// The page a response answers: what a browser checks a cookie against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Page<'a> {
    /// The host, lower case, without the port.
    pub(crate) host: &'a str,
    /// Whether the page came over https.
    pub(crate) https: bool,
    /// The request's path.
    pub(crate) path: &'a str,
}

impl Page<'_> {
    /// Browsers treat `http://localhost` (and loopback addresses) as a
    /// secure origin: `Secure` cookies set there are kept.
    fn is_trustworthy(&self) -> bool {
        self.https
            || self.host == "localhost"
            || self.host.ends_with(".localhost")
            || self.host == "[::1]"
            || self.host.starts_with("127.")
    }
}

/// A cookie as the response sets it: the facts the rules read.
#[derive(Debug)]
pub(crate) struct SetCookie<'c> {
    pub(crate) cookie: Cookie<'c>,
}

impl<'c> SetCookie<'c> {
    /// Parses a `Set-Cookie` header value (`None` if it isn't one a
    /// browser would read at all).
    pub(crate) fn parse(header: &'c str) -> Option<Self> {
        Cookie::parse(header).ok().map(|cookie| Self { cookie })
    }

    /// Whether it removes a cookie: expired, as `delete_cookie` sends.
    pub(crate) fn is_removal(&self) -> bool {
        let max_age_over = self
            .cookie
            .max_age()
            .is_some_and(|age| age <= time::Duration::ZERO);
        let expired = self
            .cookie
            .expires_datetime()
            .is_some_and(|at| at <= OffsetDateTime::now_utc());
        max_age_over || (self.cookie.max_age().is_none() && expired)
    }

    /// Its path as the browser stores it: the `Path` attribute, or the
    /// page's directory (RFC 6265 5.1.4's default-path).
    pub(crate) fn effective_path<'p>(&'p self, page: &'p Page<'_>) -> &'p str {
        match self.cookie.path() {
            Some(path) if path.starts_with('/') => path,
            _ => match page.path.rfind('/') {
                Some(0) | None => "/",
                Some(last) => &page.path[..last],
            },
        }
    }

    /// Its `Domain`, lower case, without a leading dot.
    pub(crate) fn domain(&self) -> Option<String> {
        self.cookie
            .domain()
            .map(|domain| domain.trim_start_matches('.').to_ascii_lowercase())
    }
}

/// Each reason a browser would reject `set` on this `page`, or keep it
/// but never send it back there: what only the page tells.
pub(crate) fn page_problems(set: &SetCookie<'_>, page: &Page<'_>) -> Vec<String> {
    let cookie = &set.cookie;
    let mut problems = Vec::new();
    if cookie.secure() == Some(true) && !page.is_trustworthy() {
        problems.push(
            "it has `Secure` but this page came over plain http: the browser rejects it \
             (only https pages and http://localhost may set Secure cookies; behind a proxy \
             that terminates TLS, tell the app with App::behind_proxy)"
                .to_owned(),
        );
    }
    if let Some(domain) = set.domain() {
        if !domain_matches(page.host, &domain) {
            problems.push(format!(
                "`Domain={domain}` doesn't cover this page's host ({}): the browser rejects it",
                page.host
            ));
        }
    }
    let path = set.effective_path(page);
    if !set.is_removal() && !path_matches(page.path, path) {
        problems.push(format!(
            "`Path={path}` doesn't cover this page ({}): the browser keeps it but never sends \
             it back here",
            page.path
        ));
    }
    if set.is_removal() && !cookie.value().is_empty() {
        problems.push(
            "it has expired already (its `Expires` is past or `Max-Age` is 0), so the browser \
             deletes it at once rather than keep its value: was the time local instead of UTC?"
                .to_owned(),
        );
    }
    problems
}

/// RFC 6265 5.1.3: `host` is `domain` or a subdomain of it (an IP address
/// only itself).
fn domain_matches(host: &str, domain: &str) -> bool {
    if host.eq_ignore_ascii_case(domain) {
        return true;
    }
    let is_ip = host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[');
    !is_ip
        && host.len() > domain.len()
        && host[host.len() - domain.len()..].eq_ignore_ascii_case(domain)
        && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
}

/// RFC 6265 5.1.4: the cookie's `path` covers the request's.
fn path_matches(request: &str, path: &str) -> bool {
    request == path
        || (request.starts_with(path)
            && (path.ends_with('/') || request.as_bytes().get(path.len()) == Some(&b'/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(host: &str, path: &str) -> Page<'static> {
        Page {
            host: Box::leak(host.to_owned().into_boxed_str()),
            https: false,
            path: Box::leak(path.to_owned().into_boxed_str()),
        }
    }

    fn check(header: &str, on: Page<'_>) -> Vec<String> {
        page_problems(&SetCookie::parse(header).unwrap(), &on)
    }

    #[test]
    fn a_plain_cookie_is_fine() {
        assert!(check("username=bob; Path=/", page("example.org", "/x")).is_empty());
        assert!(check("a=b; Path=/; Secure", page("localhost", "/")).is_empty());
        assert!(check(
            "a=b; Path=/; Domain=example.org",
            page("www.example.org", "/")
        )
        .is_empty());
        assert!(check("a=; Path=/; Max-Age=0", page("example.org", "/x/y")).is_empty());
    }

    #[test]
    fn each_rule_says_why() {
        let site = page("example.org", "/login");
        let said = |header: &str| check(header, site).join(" | ");
        assert!(said("a=b; Secure; Path=/").contains("plain http"));
        assert!(said("a=b; Path=/; Domain=other.org").contains("doesn't cover this page's host"));
        assert!(said("a=b; Path=/; Domain=ample.org").contains("doesn't cover"));
        assert!(said("a=b; Path=/admin").contains("never sends it back"));
        assert!(said("a=b; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT").contains("expired"));
    }

    #[test]
    fn paths_and_domains_match_as_rfc_6265_says() {
        assert!(path_matches("/admin/users", "/admin"));
        assert!(path_matches("/admin/", "/admin/"));
        assert!(!path_matches("/administrator", "/admin"));
        assert!(domain_matches("a.b.example.org", "example.org"));
        assert!(!domain_matches("badexample.org", "example.org"));
        assert!(!domain_matches("127.0.0.1", "0.0.1"));
    }
}
