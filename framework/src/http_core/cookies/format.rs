//! Writing a [`SetCookie`] as a `Set-Cookie` header: the name, Werkzeug's
//! value encoding and Flask's attribute order, with `Expires` worked out
//! from `Max-Age` and the date written as an IMF-fixdate.

use std::cell::RefCell;
use std::fmt::Write as _;

use http::HeaderValue;
use time::OffsetDateTime;

use super::check::{check_name, check_path, normalize_domain, MAX_COOKIE_BYTES};
use super::encoding::{encode_path, encode_value};
use super::set::SetCookie;
use super::SameSite;

impl SetCookie {
    /// This cookie as a `Set-Cookie` header value, in Flask's attribute
    /// order (`Domain`, `Expires`, `Max-Age`, `Secure`, `HttpOnly`, `Path`,
    /// `SameSite`, `Partitioned`). A `Max-Age` without `Expires` gets an
    /// `Expires` of now plus the age.
    ///
    /// ```
    /// # let mut response = phial::make_response("");
    /// let cookie = response.set_cookie("lang", "café").http_only(true);
    /// assert_eq!(
    ///     cookie.to_header_value().unwrap(),
    ///     r#"lang="caf\303\251"; HttpOnly; Path=/"#
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// If the name is not an RFC 6265 token, or the path or domain could
    /// break the header (see [`Response::set_cookie`](crate::Response::set_cookie));
    /// the error ([`Error::is_invalid_cookie`](crate::Error::is_invalid_cookie))
    /// names the cookie and the rule.
    pub fn to_header_value(&self) -> Result<HeaderValue, crate::Error> {
        let now = if self.needs_clock() {
            OffsetDateTime::now_utc()
        } else {
            OffsetDateTime::UNIX_EPOCH
        };
        self.to_header_at(now).map_err(crate::Error::invalid_cookie)
    }

    /// Whether the header depends on the time it is sent: only a `Max-Age`
    /// without `Expires` does (its `Expires` is now plus the age).
    pub(crate) fn needs_clock(&self) -> bool {
        self.expires.is_none() && self.max_age.is_some()
    }

    /// The header value with `Expires` computed from `now`.
    ///
    /// The text is written into a buffer kept by the thread and copied
    /// into the header value: one allocation of the exact size, where a
    /// `String` of its own would cost two (the `String`, then the shared
    /// `Bytes` header, as its capacity exceeds its length).
    pub(crate) fn to_header_at(&self, now: OffsetDateTime) -> Result<HeaderValue, String> {
        thread_local! {
            static BUFFER: RefCell<String> = const { RefCell::new(String::new()) };
        }
        BUFFER.with(|buffer| {
            // A cookie written while another is being written on this
            // thread can't happen (formatting calls no user code); if it
            // ever did, it gets a buffer of its own.
            let mut own = String::new();
            let mut borrowed = buffer.try_borrow_mut();
            let out = borrowed.as_deref_mut().unwrap_or(&mut own);
            out.clear();
            self.write_at(now, out)?;
            let value = HeaderValue::from_bytes(out.as_bytes())
                .map_err(|_| format!("cookie `{}` does not form a valid header", self.name));
            // Don't keep a huge buffer alive for one huge cookie.
            if out.capacity() > MAX_COOKIE_BYTES * 2 {
                *out = String::new();
            }
            value
        })
    }

    #[cfg(test)]
    pub(super) fn format_at(&self, now: OffsetDateTime) -> Result<String, String> {
        let mut out = String::new();
        self.write_at(now, &mut out)?;
        Ok(out)
    }

    /// Appends the header text to `out`.
    fn write_at(&self, now: OffsetDateTime, out: &mut String) -> Result<(), String> {
        check_name(&self.name)?;
        let scope = &self.scope;
        let domain = match &scope.domain {
            Some(domain) => Some(normalize_domain(&self.name, domain)?),
            None => None,
        };
        if let Some(path) = &scope.path {
            check_path(&self.name, path)?;
        }
        out.reserve(64 + self.name.len() + self.value.len());
        out.push_str(&self.name);
        out.push('=');
        encode_value(&self.value, out);
        if let Some(domain) = domain {
            out.push_str("; Domain=");
            out.push_str(domain);
        }
        let expires = self.expires.or_else(|| {
            let age = time::Duration::seconds(self.max_age?);
            Some(now.checked_add(age).unwrap_or(if age.is_negative() {
                OffsetDateTime::UNIX_EPOCH
            } else {
                LATEST
            }))
        });
        if let Some(expires) = expires {
            out.push_str("; Expires=");
            write_http_date(expires, out);
        }
        if let Some(age) = self.max_age {
            let _ = write!(out, "; Max-Age={age}");
        }
        if scope.secure || scope.partitioned {
            out.push_str("; Secure");
        }
        if self.http_only {
            out.push_str("; HttpOnly");
        }
        if let Some(path) = &scope.path {
            out.push_str("; Path=");
            encode_path(path, out);
        }
        if let Some(same_site) = scope.same_site {
            out.push_str(match same_site {
                SameSite::Strict => "; SameSite=Strict",
                SameSite::Lax => "; SameSite=Lax",
                SameSite::None => "; SameSite=None",
            });
        }
        if scope.partitioned {
            out.push_str("; Partitioned");
        }
        Ok(())
    }
}

/// The latest date `Expires` is written with.
const LATEST: OffsetDateTime = time::macros::datetime!(9999-12-31 23:59:59 UTC);

/// The earliest date `Expires` is written with: year 1, the earliest Flask
/// (Python's `datetime`) can send. An earlier one has no IMF-fixdate form
/// (`-0052` is not a 4-digit year).
const EARLIEST: OffsetDateTime = time::macros::datetime!(0001-01-01 00:00:00 UTC);

/// Writes an IMF-fixdate (`Tue, 01 Jan 2030 12:30:45 GMT`) with the `time`
/// crate's formatter (`httpdate` can't write years before 1970, which Flask
/// sends as given).
pub(crate) fn write_http_date(at: OffsetDateTime, out: &mut String) {
    const IMF_FIXDATE: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    // Formatted on the stack: the date is 29 bytes, and a `String` of its
    // own would be one more allocation per cookie with an expiry.
    let mut buffer = [0u8; 40];
    let mut rest = &mut buffer[..];
    let written = at
        .to_offset(time::UtcOffset::UTC)
        .max(EARLIEST)
        .format_into(&mut rest, IMF_FIXDATE);
    match written
        .ok()
        .and_then(|length| std::str::from_utf8(&buffer[..length]).ok())
    {
        Some(date) => out.push_str(date),
        // Only years beyond what the format can write (over 9999) fail.
        None => out.push_str("Fri, 31 Dec 9999 23:59:59 GMT"),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn header(cookie: &SetCookie) -> Result<String, String> {
        cookie.format_at(datetime!(2026-11-29 10:00:00 UTC))
    }

    #[test]
    fn every_attribute_in_flask_order() {
        let mut cookie = SetCookie::new("sid", "abc");
        cookie
            .max_age(3600)
            .expires(datetime!(2030-01-01 14:30:45 +2))
            .path("/app")
            .domain(".example.com:8080")
            .secure(false)
            .http_only(true)
            .same_site(SameSite::Lax)
            .partitioned(true);
        assert_eq!(
            header(&cookie).unwrap(),
            "sid=abc; Domain=example.com; Expires=Tue, 01 Jan 2030 12:30:45 GMT; \
             Max-Age=3600; Secure; HttpOnly; Path=/app; SameSite=Lax; Partitioned"
        );
    }

    #[test]
    fn max_age_sets_expires_unless_given() {
        let mut cookie = SetCookie::new("k", "v");
        cookie.max_age(time::Duration::milliseconds(1900));
        assert_eq!(
            header(&cookie).unwrap(),
            "k=v; Expires=Sun, 29 Nov 2026 10:00:01 GMT; Max-Age=1; Path=/"
        );
        cookie.max_age(i64::MAX);
        assert!(header(&cookie)
            .unwrap()
            .contains("Expires=Fri, 31 Dec 9999"));
        cookie.max_age(i64::MIN);
        assert!(header(&cookie)
            .unwrap()
            .contains("Expires=Thu, 01 Jan 1970"));
    }

    #[test]
    fn removal_is_flasks() {
        let cookie = SetCookie::removal("k");
        assert_eq!(
            header(&cookie).unwrap(),
            "k=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"
        );
    }

    #[test]
    fn http_dates_are_imf_fixdate() {
        let mut out = String::new();
        write_http_date(datetime!(1600-01-01 01:01:01 UTC), &mut out);
        assert_eq!(out, "Sat, 01 Jan 1600 01:01:01 GMT");
        // Found by the `set_cookie` fuzz target: a date before year 1 was
        // written with a negative year (`19 May -0052`).
        let mut out = String::new();
        let before_year_one = OffsetDateTime::from_unix_timestamp(-63_780_000_000).unwrap();
        write_http_date(before_year_one, &mut out);
        assert_eq!(out, "Mon, 01 Jan 0001 00:00:00 GMT");
    }
}
