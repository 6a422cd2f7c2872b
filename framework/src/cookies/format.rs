//! Writing a [`SetCookie`] as a `Set-Cookie` header: Werkzeug's value
//! encoding, Flask's attribute order, the checks that refuse a broken header
//! and the warnings for what browsers silently drop.

use std::cell::RefCell;
use std::fmt::Write as _;

use http::HeaderValue;
use time::OffsetDateTime;

use super::set::SetCookie;
use super::SameSite;

/// Browsers store at most this many bytes per cookie (name, value and
/// attributes).
const MAX_COOKIE_BYTES: usize = 4096;

/// Browsers cap `Max-Age` (and `Expires`) at 400 days (RFC 6265bis).
const MAX_AGE_CAP: i64 = 400 * 24 * 60 * 60;

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
    fn format_at(&self, now: OffsetDateTime) -> Result<String, String> {
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

    /// Why a browser would drop (or shorten) this cookie, if it would.
    pub(crate) fn warnings(&self, header_len: usize) -> Vec<&'static str> {
        let mut reasons = Vec::new();
        let scope = &self.scope;
        let secure = scope.secure || scope.partitioned;
        if header_len > MAX_COOKIE_BYTES {
            reasons.push("it is over 4096 bytes, so browsers drop it");
        }
        if scope.same_site == Some(SameSite::None) && !secure {
            reasons.push("SameSite=None without Secure is dropped by browsers");
        }
        if has_prefix(&self.name, "__Secure-") && !secure {
            reasons.push("a `__Secure-` cookie without Secure is dropped by browsers");
        }
        if has_prefix(&self.name, "__Host-") {
            if !secure {
                reasons.push("a `__Host-` cookie without Secure is dropped by browsers");
            }
            if scope.domain.is_some() {
                reasons.push("a `__Host-` cookie with a Domain is dropped by browsers");
            }
            if scope.path.as_deref() != Some("/") {
                reasons
                    .push("a `__Host-` cookie with a path other than `/` is dropped by browsers");
            }
        }
        if self.max_age.is_some_and(|age| age > MAX_AGE_CAP) {
            reasons.push("Max-Age is beyond 400 days: browsers cap it at 400 days");
        }
        if scope
            .path
            .as_deref()
            .is_some_and(|path| !path.is_empty() && !path.starts_with('/'))
        {
            reasons.push("a Path not starting with `/` is ignored by browsers");
        }
        reasons
    }
}

/// The latest date `Expires` is written with.
const LATEST: OffsetDateTime = time::macros::datetime!(9999-12-31 23:59:59 UTC);

/// The earliest date `Expires` is written with: year 1, the earliest Flask
/// (Python's `datetime`) can send. An earlier one has no IMF-fixdate form
/// (`-0052` is not a 4-digit year).
const EARLIEST: OffsetDateTime = time::macros::datetime!(0001-01-01 00:00:00 UTC);

/// RFC 6265bis prefixes are matched case-insensitively.
fn has_prefix(name: &str, prefix: &str) -> bool {
    name.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// RFC 9110 `tchar`: what a cookie name may hold.
fn is_token_byte(byte: u8) -> bool {
    TOKEN_BYTES[usize::from(byte)]
}

/// The bytes of an RFC 7230 token, as a table: checked for every byte of
/// every cookie name sent.
const TOKEN_BYTES: [bool; 256] = alphanumerics_and(b"!#$%&'*+-.^_`|~");

/// A byte table: true for ASCII letters and digits and for `others`.
const fn alphanumerics_and(others: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    let mut other = 0;
    while other < others.len() {
        table[others[other] as usize] = true;
        other += 1;
    }
    table
}

fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a cookie name must not be empty".to_owned());
    }
    // Byte by byte first: the table refuses every non-ASCII byte, and
    // decoding characters is only needed to name the one refused.
    if name.bytes().all(is_token_byte) {
        return Ok(());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !c.is_ascii() || !is_token_byte(*c as u8))
    {
        return Err(format!(
            "cookie name {name:?} is not an RFC 6265 token: {bad:?} is not allowed \
             (use letters, digits and !#$%&'*+-.^_`|~)"
        ));
    }
    Ok(())
}

fn check_path(name: &str, path: &str) -> Result<(), String> {
    // Visible ASCII but `;`, byte by byte, before decoding characters.
    if path
        .bytes()
        .all(|byte| matches!(byte, b' '..=b'~') && byte != b';')
    {
        return Ok(());
    }
    if let Some(bad) = path
        .chars()
        .find(|c| *c == ';' || c.is_control() || !c.is_ascii())
    {
        return Err(format!(
            "cookie `{name}`: path {path:?} holds {bad:?}; a path may not hold `;`, \
             control or non-ASCII characters (percent-encode them)"
        ));
    }
    Ok(())
}

/// Percent-encodes what a browser would encode in a URL path (space, `"`,
/// `<`, `?`, ...), as Werkzeug does, so `Path=` matches the request paths
/// the browser sends; `%` is kept, so an encoded path stays as it is.
fn encode_path(path: &str, out: &mut String) {
    if path.bytes().all(is_path_byte) {
        out.push_str(path);
        return;
    }
    for byte in path.bytes() {
        if is_path_byte(byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// What [`encode_path`] writes as it is.
fn is_path_byte(byte: u8) -> bool {
    PATH_BYTES[usize::from(byte)]
}

/// The bytes a path keeps unencoded, as a table: checked for every byte of
/// every path sent.
const PATH_BYTES: [bool; 256] = alphanumerics_and(b"_.-~%!$&'()*+,/:=@");

/// Drops a leading dot and a `:port`, as Flask does, then checks what is
/// left is a host name (or an IPv4 address).
fn normalize_domain<'a>(name: &str, domain: &'a str) -> Result<&'a str, String> {
    let mut host = domain.strip_prefix('.').unwrap_or(domain);
    if let Some((head, port)) = host.split_once(':') {
        if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
            host = head;
        }
    }
    if let Some(bad) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
    {
        return Err(format!(
            "cookie `{name}`: domain {domain:?} holds {bad:?}; a domain must be a host name \
             of letters, digits, `-`, `.` and `_` (write an international name in its \
             `xn--` form)"
        ));
    }
    // Browsers ignore an empty `Domain=` (the cookie silently becomes
    // host-only) and a name with an empty label.
    if host.split('.').any(str::is_empty) {
        return Err(format!(
            "cookie `{name}`: domain {domain:?} is not a host name (it is empty or has \
             an empty label between dots); write a name such as \"example.com\", or \
             pass `None` for a cookie sent only to the host that set it"
        ));
    }
    Ok(host)
}

/// Werkzeug's value encoding: bare when every byte is an RFC 6265
/// cookie-octet; otherwise in double quotes with `\"`, `\\`, and `\ooo` for
/// `,`, `;`, control characters and non-ASCII bytes (Werkzeug leaves 0x1A to
/// 0x1F raw, which makes an invalid header; phial escapes them too).
pub(crate) fn encode_value(value: &str, out: &mut String) {
    if value.bytes().all(is_cookie_octet) {
        out.push_str(value);
        return;
    }
    out.reserve(value.len() + 2);
    out.push('"');
    for byte in value.bytes() {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b',' | b';' | 0x00..=0x1f | 0x7f..=0xff => {
                out.push('\\');
                out.push(char::from(b'0' + (byte >> 6)));
                out.push(char::from(b'0' + ((byte >> 3) & 7)));
                out.push(char::from(b'0' + (byte & 7)));
            }
            _ => out.push(char::from(byte)),
        }
    }
    out.push('"');
}

/// RFC 6265 `cookie-octet`: visible ASCII except `"`, `,`, `;` and `\`.
fn is_cookie_octet(byte: u8) -> bool {
    COOKIE_OCTETS[usize::from(byte)]
}

/// RFC 6265's cookie-octet, as a table: checked for every byte of every
/// cookie value sent (a session cookie is a few hundred).
const COOKIE_OCTETS: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = matches!(
            byte as u8,
            0x21 | 0x23..=0x2b | 0x2d..=0x3a | 0x3c..=0x5b | 0x5d..=0x7e
        );
        byte += 1;
    }
    table
};

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

    fn encoded(value: &str) -> String {
        let mut out = String::new();
        encode_value(value, &mut out);
        out
    }

    fn header(cookie: &SetCookie) -> Result<String, String> {
        cookie.format_at(datetime!(2026-11-29 10:00:00 UTC))
    }

    #[test]
    fn values_are_encoded_as_werkzeug_does() {
        assert_eq!(encoded("v"), "v");
        assert_eq!(encoded(""), "");
        assert_eq!(encoded("a=b"), "a=b");
        assert_eq!(encoded("a b"), "\"a b\"");
        assert_eq!(encoded("a,b;c"), r#""a\054b\073c""#);
        assert_eq!(encoded("a\"b\\"), r#""a\"b\\""#);
        assert_eq!(encoded("café"), r#""caf\303\251""#);
        assert_eq!(encoded("\r\n\x1a\x7f"), r#""\015\012\032\177""#);
    }

    #[test]
    fn encoded_values_decode_back() {
        for value in [
            "",
            "plain",
            "a b",
            "; \" \\ ,",
            "😀 café",
            "\0\x1f\x7f",
            "\"q\"",
        ] {
            let text = encoded(value);
            assert_eq!(
                super::super::parse::decode_value(&text).as_deref(),
                Some(value)
            );
        }
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
    fn the_path_table_keeps_what_werkzeug_keeps() {
        for byte in 0..=255u8 {
            let kept = byte.is_ascii_alphanumeric() || b"_.-~%!$&'()*+,/:=@".contains(&byte);
            assert_eq!(is_path_byte(byte), kept, "{byte:#04x}");
        }
        let mut out = String::new();
        encode_path("/a b/ü?/~%41", &mut out);
        assert_eq!(out, "/a%20b/%C3%BC%3F/~%41");
    }

    #[test]
    fn bad_names_paths_and_domains_are_refused() {
        for name in [
            "", "a b", "a;b", "a=b", "a\"b", "ké", "a\nb", "\t", "a,b", "(a)",
        ] {
            let error = header(&SetCookie::new(name, "v")).unwrap_err();
            assert!(error.contains("name"), "{error}");
        }
        for path in ["/x;y", "/é", "/a\nb", "/\x7f"] {
            let mut cookie = SetCookie::new("k", "v");
            cookie.path(path);
            assert!(header(&cookie).unwrap_err().contains("cookie `k`: path"));
        }
        for domain in [
            "wrong;bad.abc",
            "bücher.de",
            "::1",
            "[::1]",
            "a b",
            "a\r\n",
            // Found by the `set_cookie` fuzz target: these wrote `Domain=`
            // (or `a..b`), which browsers ignore.
            "",
            ".",
            ".:8080",
            "a..b",
            "example.com.",
        ] {
            let mut cookie = SetCookie::new("k", "v");
            cookie.domain(domain);
            assert!(header(&cookie).unwrap_err().contains("cookie `k`: domain"));
        }
        let mut cookie = SetCookie::new("$Version", "1");
        cookie.path("/a b/%41").domain("EXAMPLE.com:443");
        assert_eq!(
            header(&cookie).unwrap(),
            "$Version=1; Domain=EXAMPLE.com; Path=/a%20b/%41"
        );
    }

    #[test]
    fn warnings_name_what_browsers_drop() {
        let warnings = |cookie: &SetCookie| {
            let len = header(cookie).unwrap().len();
            cookie.warnings(len)
        };
        let mut cookie = SetCookie::new("__Host-sid", "v");
        assert_eq!(warnings(&cookie).len(), 1);
        cookie
            .domain("example.com")
            .path("/x")
            .same_site(SameSite::None);
        assert_eq!(warnings(&cookie).len(), 4);
        cookie
            .secure(true)
            .domain(None)
            .path("/")
            .max_age(401 * 86_400);
        assert_eq!(
            warnings(&cookie),
            ["Max-Age is beyond 400 days: browsers cap it at 400 days"]
        );
        let cookie = SetCookie::new("__secure-x", "v".repeat(4100));
        assert_eq!(warnings(&cookie).len(), 2);
        let mut cookie = SetCookie::new("ok", "v");
        cookie.same_site(SameSite::None).partitioned(true);
        assert!(warnings(&cookie).is_empty());
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
