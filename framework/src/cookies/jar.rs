//! The test client's cookie jar, which behaves like a browser's (RFC 6265
//! section 5, with the 6265bis changes browsers ship).
//!
//! Not `cookie_store`: its request cookies come out of a hash map in no
//! particular order (a browser sends the most specific path first, and apps
//! rely on it), its clock can't be advanced to test expiry, it keeps
//! cookies the 6265bis prefix rules reject, and it parses with the `cookie`
//! crate, which trims Unicode whitespace from names. This is small enough
//! to own.

use time::{Duration, OffsetDateTime};
use url::Url;

use super::encoding::encode_value;
use super::parse::decode_value;

/// Browsers cap a cookie's lifetime at 400 days (RFC 6265bis).
const MAX_LIFETIME: Duration = Duration::days(400);

/// A browser-like cookie store.
#[derive(Debug, Default)]
pub(crate) struct Jar {
    cookies: Vec<Stored>,
    /// How far the jar's clock is ahead of the real one.
    skew: Duration,
    next_id: u64,
}

#[derive(Debug)]
struct Stored {
    name: String,
    /// As the server sent it (quotes and escapes included): sent back as is.
    value: String,
    domain: String,
    host_only: bool,
    path: String,
    secure: bool,
    expires: Option<OffsetDateTime>,
    created: u64,
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
    pub(crate) fn store(&mut self, header: &str, url: &Url) {
        let now = self.now();
        if let Some(cookie) = parse_set_cookie(header, url, now) {
            self.put(cookie, now);
        }
    }

    /// Puts `name=value` in the jar for `url`'s host, path `/`, encoding the
    /// value as a server would.
    pub(crate) fn insert(&mut self, name: &str, value: &str, url: &Url) {
        let mut encoded = String::new();
        encode_value(value, &mut encoded);
        let cookie = Stored {
            name: name.to_owned(),
            value: encoded,
            domain: url.host_str().unwrap_or_default().to_ascii_lowercase(),
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
    pub(crate) fn header_for(&mut self, url: &Url) -> Option<String> {
        let pairs: Vec<String> = self
            .matching(url)
            .into_iter()
            .map(|cookie| format!("{}={}", cookie.name, cookie.value))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// The decoded value of the first cookie `name` a request to `url`'s
    /// host would carry, on any path (most specific first).
    pub(crate) fn get(&mut self, name: &str, url: &Url) -> Option<String> {
        let cookie = self
            .visible(url)
            .into_iter()
            .find(|cookie| cookie.name == name)?;
        decode_value(&cookie.value)
    }

    /// Cookies for `url`'s host and scheme on any path, in send order.
    fn visible(&mut self, url: &Url) -> Vec<&Stored> {
        self.select(url, false)
    }

    fn matching(&mut self, url: &Url) -> Vec<&Stored> {
        self.select(url, true)
    }

    fn select(&mut self, url: &Url, by_path: bool) -> Vec<&Stored> {
        let now = self.now();
        self.cookies
            .retain(|cookie| cookie.expires.is_none_or(|at| at > now));
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let secure = url.scheme() == "https";
        let mut found: Vec<&Stored> = self
            .cookies
            .iter()
            .filter(|cookie| {
                let domain_ok = if cookie.host_only {
                    host == cookie.domain
                } else {
                    domain_match(&host, &cookie.domain)
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

/// RFC 6265 section 5.2 (with 6265bis' prefix and lifetime rules): the
/// cookie a `Set-Cookie` header from `url` stores, if any.
fn parse_set_cookie(header: &str, url: &Url, now: OffsetDateTime) -> Option<Stored> {
    let mut parts = header.split(';');
    let (name, value) = parts.next()?.split_once('=')?;
    let (name, value) = (trim(name), trim(value));
    if name.is_empty() {
        return None;
    }
    let mut max_age = None;
    let mut expires = None;
    let mut domain = None;
    let mut path = None;
    let mut secure = false;
    for attribute in parts {
        let (key, val) = match attribute.split_once('=') {
            Some((key, val)) => (trim(key), trim(val)),
            None => (trim(attribute), ""),
        };
        if key.eq_ignore_ascii_case("expires") {
            if let Some(at) = parse_cookie_date(val) {
                expires = Some(at);
            }
        } else if key.eq_ignore_ascii_case("max-age") {
            let digits = val.strip_prefix('-').unwrap_or(val);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                let seconds = val.parse::<i64>().unwrap_or(i64::MAX);
                max_age = Some(if seconds <= 0 {
                    OffsetDateTime::UNIX_EPOCH
                } else {
                    now.saturating_add(Duration::seconds(seconds))
                });
            }
        } else if key.eq_ignore_ascii_case("domain") {
            let val = val.strip_prefix('.').unwrap_or(val);
            if !val.is_empty() {
                domain = Some(val.to_ascii_lowercase());
            }
        } else if key.eq_ignore_ascii_case("path") {
            path = val.starts_with('/').then(|| val.to_owned());
        } else if key.eq_ignore_ascii_case("secure") {
            secure = true;
        }
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let (domain, host_only) = match domain {
        Some(domain) if domain_match(&host, &domain) => (domain, false),
        Some(_) => return None,
        None => (host, true),
    };
    if secure && url.scheme() != "https" {
        return None;
    }
    let has_path = path.is_some();
    let path = path.unwrap_or_else(|| default_path(url.path()));
    let prefixed = |prefix: &str| {
        name.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    if prefixed("__Secure-") && !secure {
        return None;
    }
    if prefixed("__Host-") && !(secure && host_only && has_path && path == "/") {
        return None;
    }
    let expires = max_age
        .or(expires)
        .map(|at| at.min(now.saturating_add(MAX_LIFETIME)));
    Some(Stored {
        name: name.to_owned(),
        value: value.to_owned(),
        domain,
        host_only,
        path,
        secure,
        expires,
        created: 0,
    })
}

fn trim(text: &str) -> &str {
    text.trim_matches([' ', '\t'])
}

/// RFC 6265 section 5.1.3.
fn domain_match(host: &str, domain: &str) -> bool {
    host == domain
        || (host.len() > domain.len()
            && host.ends_with(domain)
            && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
            && host.parse::<std::net::IpAddr>().is_err())
}

/// RFC 6265 section 5.1.4.
fn path_match(request_path: &str, cookie_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/')
                || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/')))
}

/// RFC 6265 section 5.1.4: the directory of the request path.
fn default_path(request_path: &str) -> String {
    match request_path.rfind('/') {
        Some(0) | None => "/".to_owned(),
        Some(last) => request_path[..last].to_owned(),
    }
}

/// RFC 6265 section 5.1.1, the date format browsers accept (IMF-fixdate,
/// RFC 850, asctime and the variants seen in the wild).
fn parse_cookie_date(text: &str) -> Option<OffsetDateTime> {
    let is_delimiter = |c: char| matches!(c, '\t' | ' '..='/' | ';'..='@' | '['..='`' | '{'..='~');
    let (mut time, mut day, mut month, mut year) = (None, None, None, None);
    for token in text.split(is_delimiter).filter(|t| !t.is_empty()) {
        if time.is_none() {
            let mut fields = token.splitn(3, ':');
            if let (Some(h), Some(m), Some(s)) = (fields.next(), fields.next(), fields.next()) {
                let number = |t: &str| {
                    let digits: &str =
                        &t[..t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len())];
                    (1..=2)
                        .contains(&digits.len())
                        .then(|| digits.parse::<u8>().ok())?
                };
                if let (Some(h), Some(m), Some(s)) = (number(h), number(m), number(s)) {
                    time = Some((h, m, s));
                    continue;
                }
            }
        }
        let digits = token.bytes().take_while(u8::is_ascii_digit).count();
        if day.is_none() && (1..=2).contains(&digits) {
            day = token[..digits].parse::<u8>().ok();
            continue;
        }
        if month.is_none() && token.len() >= 3 {
            let head = token[..3].to_ascii_lowercase();
            let months = [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ];
            if let Some(index) = months.iter().position(|m| *m == head) {
                month = Some(index as u8 + 1);
                continue;
            }
        }
        if year.is_none() && (2..=4).contains(&digits) {
            let mut value = token[..digits].parse::<i32>().ok()?;
            if (70..=99).contains(&value) {
                value += 1900;
            } else if (0..=69).contains(&value) && digits <= 2 {
                value += 2000;
            }
            year = Some(value);
        }
    }
    let ((hour, minute, second), day, month, year) = (time?, day?, month?, year?);
    if year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    Some(date.with_hms(hour, minute, second).ok()?.assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
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
    fn lifetimes_are_capped_at_400_days() {
        let mut jar = Jar::default();
        let base = url("http://localhost/");
        jar.store("a=1; Max-Age=999999999", &base);
        jar.advance(std::time::Duration::from_secs(401 * 86_400));
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
    fn domains_and_prefixes() {
        let mut jar = Jar::default();
        let app = url("https://app.example.com/");
        jar.store("a=1; Domain=example.com", &app);
        jar.store("b=1; Domain=other.com", &app);
        jar.store("c=1", &app);
        jar.store("__Host-d=1; Secure; Path=/; Domain=example.com", &app);
        jar.store("__Host-e=1; Secure; Path=/", &app);
        jar.store("__Secure-f=1", &app);
        jar.store("__secure-g=1; Secure", &app);
        assert_eq!(
            jar.header_for(&app).as_deref(),
            Some("a=1; c=1; __Host-e=1; __secure-g=1")
        );
        assert_eq!(
            jar.header_for(&url("https://www.example.com/")).as_deref(),
            Some("a=1")
        );
    }

    #[test]
    fn default_path_is_the_directory() {
        let mut jar = Jar::default();
        jar.store("a=1", &url("http://localhost/dir/page"));
        jar.store("b=1; Path=relative", &url("http://localhost/dir/page"));
        assert_eq!(jar.header_for(&url("http://localhost/")), None);
        assert_eq!(
            jar.header_for(&url("http://localhost/dir/x")).as_deref(),
            Some("a=1; b=1")
        );
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

    #[test]
    fn cookie_dates() {
        let date = |text| parse_cookie_date(text).map(|at| at.unix_timestamp());
        assert_eq!(date("Tue, 01 Jan 2030 12:30:45 GMT"), Some(1_893_501_045));
        assert_eq!(date("Tuesday, 01-Jan-30 12:30:45 GMT"), Some(1_893_501_045));
        assert_eq!(date("Tue Jan  1 12:30:45 2030"), Some(1_893_501_045));
        assert_eq!(date("Sat, 01 Jan 1600 01:01:01 GMT"), None);
        assert_eq!(date("garbage"), None);
    }
}
