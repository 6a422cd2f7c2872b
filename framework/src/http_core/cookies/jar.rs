//! The test client's cookie jar, which behaves like a browser's (RFC 6265
//! section 5, with the 6265bis changes browsers ship): what it keeps, and
//! which cookies a request carries, in which order. Reading a `Set-Cookie`
//! header is `jar_parse.rs`'s job.
//!
//! Not `cookie_store`: its request cookies come out of a hash map in no
//! particular order (a browser sends the most specific path first, and apps
//! rely on it), its clock can't be advanced to test expiry, it keeps
//! cookies the 6265bis prefix rules reject, and it parses with the `cookie`
//! crate, which trims Unicode whitespace from names. This is small enough
//! to own.

use time::{Duration, OffsetDateTime};

use super::encoding::encode_value;
use super::jar_parse::{domain_match, parse_set_cookie, Stored};
use super::jar_url::JarUrl;
use super::parse::decode_value;

/// A browser-like cookie store.
#[derive(Debug, Default)]
pub(crate) struct Jar {
    cookies: Vec<Stored>,
    /// How far the jar's clock is ahead of the real one.
    skew: Duration,
    next_id: u64,
}

impl Jar {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc().saturating_add(self.skew)
    }

    /// Moves the jar's clock forward, so cookies expire sooner.
    pub(crate) fn advance(&mut self, by: std::time::Duration) {
        self.skew = self
            .skew
            .saturating_add(Duration::try_from(by).unwrap_or(Duration::MAX));
    }

    /// Forgets every cookie.
    pub(crate) fn clear(&mut self) {
        self.cookies.clear();
    }

    /// Stores (or replaces, or removes) the cookie a `Set-Cookie` header
    /// from `url` describes; an invalid one is ignored, as browsers do.
    pub(crate) fn store(&mut self, header: &str, url: &JarUrl) {
        let now = self.now();
        if let Some(cookie) = parse_set_cookie(header, url, now) {
            self.put(cookie, now);
        }
    }

    /// Puts `name=value` in the jar for `url`'s host, path `/`, encoding the
    /// value as a server would.
    pub(crate) fn insert(&mut self, name: &str, value: &str, url: &JarUrl) {
        let mut encoded = String::new();
        encode_value(value, &mut encoded);
        let cookie = Stored {
            name: name.to_owned(),
            value: encoded,
            domain: url.host().to_owned(),
            host_only: true,
            path: "/".to_owned(),
            secure: false,
            expires: None,
            created: 0,
        };
        let now = self.now();
        self.put(cookie, now);
    }

    fn put(&mut self, mut cookie: Stored, now: OffsetDateTime) {
        let same = self.cookies.iter().position(|old| {
            old.name == cookie.name
                && old.domain == cookie.domain
                && old.host_only == cookie.host_only
                && old.path == cookie.path
        });
        let expired = cookie.expires.is_some_and(|at| at <= now);
        match (same, expired) {
            (Some(index), true) => {
                self.cookies.remove(index);
            }
            (None, true) => {}
            (Some(index), false) => {
                cookie.created = self.cookies[index].created;
                self.cookies[index] = cookie;
            }
            (None, false) => {
                cookie.created = self.next_id;
                self.next_id += 1;
                self.cookies.push(cookie);
            }
        }
    }

    /// The `Cookie` header a browser would send to `url`: most specific
    /// path first, then oldest first. Drops expired cookies.
    pub(crate) fn header_for(&mut self, url: &JarUrl) -> Option<String> {
        let pairs: Vec<String> = self
            .matching(url)
            .into_iter()
            .map(|cookie| format!("{}={}", cookie.name, cookie.value))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// The decoded value of the first cookie `name` a request to `url`'s
    /// host would carry, on any path (most specific first).
    pub(crate) fn get(&mut self, name: &str, url: &JarUrl) -> Option<String> {
        let cookie = self
            .visible(url)
            .into_iter()
            .find(|cookie| cookie.name == name)?;
        decode_value(&cookie.value)
    }

    /// Cookies for `url`'s host and scheme on any path, in send order.
    fn visible(&mut self, url: &JarUrl) -> Vec<&Stored> {
        self.select(url, false)
    }

    fn matching(&mut self, url: &JarUrl) -> Vec<&Stored> {
        self.select(url, true)
    }

    fn select(&mut self, url: &JarUrl, by_path: bool) -> Vec<&Stored> {
        let now = self.now();
        self.cookies
            .retain(|cookie| cookie.expires.is_none_or(|at| at > now));
        let host = url.host();
        let secure = url.is_https();
        let mut found: Vec<&Stored> = self
            .cookies
            .iter()
            .filter(|cookie| {
                let domain_ok = if cookie.host_only {
                    host == cookie.domain
                } else {
                    domain_match(host, &cookie.domain)
                };
                domain_ok
                    && (!cookie.secure || secure)
                    && (!by_path || path_match(url.path(), &cookie.path))
            })
            .collect();
        found.sort_by(|a, b| {
            b.path
                .len()
                .cmp(&a.path.len())
                .then(a.created.cmp(&b.created))
        });
        found
    }
}

/// RFC 6265 section 5.1.4.
fn path_match(request_path: &str, cookie_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/')
                || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> JarUrl {
        JarUrl::parse(text).unwrap()
    }

    #[test]
    fn most_specific_path_first() {
        let mut jar = Jar::default();
        let base = url("http://localhost/app/page");
        jar.store("id=root; Path=/", &base);
        jar.store("id=app; Path=/app", &base);
        jar.store("other=1; Path=/other", &base);
        assert_eq!(jar.header_for(&base).as_deref(), Some("id=app; id=root"));
        assert_eq!(
            jar.header_for(&url("http://localhost/")).as_deref(),
            Some("id=root")
        );
        assert_eq!(
            jar.header_for(&url("http://localhost/apple")).as_deref(),
            Some("id=root")
        );
    }

    #[test]
    fn same_name_domain_and_path_replaces() {
        let mut jar = Jar::default();
        let base = url("http://localhost/");
        jar.store("a=1", &base);
        jar.store("b=2", &base);
        jar.store("a=3; Path=/", &base);
        assert_eq!(jar.header_for(&base).as_deref(), Some("a=3; b=2"));
    }

    #[test]
    fn expiry_and_deletion() {
        let mut jar = Jar::default();
        let base = url("http://localhost/");
        jar.store("short=1; Max-Age=60", &base);
        jar.store("gone=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT", &base);
        jar.store(
            "long=1; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            &base,
        );
        assert_eq!(jar.header_for(&base).as_deref(), Some("short=1; long=1"));
        jar.advance(std::time::Duration::from_secs(61));
        assert_eq!(jar.header_for(&base).as_deref(), Some("long=1"));
        jar.store("long=; Max-Age=0", &base);
        assert_eq!(jar.header_for(&base), None);
    }

    #[test]
    fn secure_depends_on_the_scheme() {
        let mut jar = Jar::default();
        jar.store("s=1; Secure", &url("http://localhost/"));
        assert_eq!(jar.header_for(&url("https://localhost/")), None);
        jar.store("s=1; Secure", &url("https://localhost/"));
        assert_eq!(
            jar.header_for(&url("https://localhost/")).as_deref(),
            Some("s=1")
        );
        assert_eq!(jar.header_for(&url("http://localhost/")), None);
    }

    #[test]
    fn values_are_kept_raw_and_decoded_on_get() {
        let mut jar = Jar::default();
        let base = url("http://localhost/");
        jar.store(r#"k="a\073b\303\251"; Path=/"#, &base);
        assert_eq!(
            jar.header_for(&base).as_deref(),
            Some(r#"k="a\073b\303\251""#)
        );
        assert_eq!(jar.get("k", &base).as_deref(), Some("a;bé"));
        jar.insert("t", "x y", &base);
        assert_eq!(jar.get("t", &base).as_deref(), Some("x y"));
    }
}
