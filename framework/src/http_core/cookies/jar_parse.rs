//! How the test client's jar reads a `Set-Cookie` header, as a browser
//! does (RFC 6265 section 5.2, with 6265bis' prefix and lifetime rules):
//! the attributes, the default path and the date formats browsers accept.

use super::jar_url::JarUrl;
use time::{Duration, OffsetDateTime};

use super::check::has_prefix;

/// Browsers cap a cookie's lifetime at 400 days (RFC 6265bis).
const MAX_LIFETIME: Duration = Duration::days(400);

/// RFC 6265 section 5.2 (with 6265bis' prefix and lifetime rules): the
/// cookie a `Set-Cookie` header from `url` stores, if any.
pub(super) fn parse_set_cookie(header: &str, url: &JarUrl, now: OffsetDateTime) -> Option<Stored> {
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
    let host = url.host().to_owned();
    let (domain, host_only) = match domain {
        Some(domain) if domain_match(&host, &domain) => (domain, false),
        Some(_) => return None,
        None => (host, true),
    };
    if secure && !url.is_https() {
        return None;
    }
    let has_path = path.is_some();
    let path = path.unwrap_or_else(|| default_path(url.path()));
    if has_prefix(name, "__Secure-") && !secure {
        return None;
    }
    if has_prefix(name, "__Host-") && !(secure && host_only && has_path && path == "/") {
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

/// One cookie in the jar.
#[derive(Debug)]
pub(super) struct Stored {
    pub(super) name: String,
    /// As the server sent it (quotes and escapes included): sent back as is.
    pub(super) value: String,
    pub(super) domain: String,
    pub(super) host_only: bool,
    pub(super) path: String,
    pub(super) secure: bool,
    pub(super) expires: Option<OffsetDateTime>,
    pub(super) created: u64,
}

/// RFC 6265 section 5.1.3.
pub(super) fn domain_match(host: &str, domain: &str) -> bool {
    host == domain
        || (host.len() > domain.len()
            && host.ends_with(domain)
            && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
            && host.parse::<std::net::IpAddr>().is_err())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http_core::cookies::jar::Jar;

    fn url(text: &str) -> JarUrl {
        JarUrl::parse(text).unwrap()
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
    fn cookie_dates() {
        let date = |text| parse_cookie_date(text).map(|at| at.unix_timestamp());
        assert_eq!(date("Tue, 01 Jan 2030 12:30:45 GMT"), Some(1_893_501_045));
        assert_eq!(date("Tuesday, 01-Jan-30 12:30:45 GMT"), Some(1_893_501_045));
        assert_eq!(date("Tue Jan  1 12:30:45 2030"), Some(1_893_501_045));
        assert_eq!(date("Sat, 01 Jan 1600 01:01:01 GMT"), None);
        assert_eq!(date("garbage"), None);
    }
}
