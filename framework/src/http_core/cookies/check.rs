//! The checks on a cookie before it is sent: the name, path and domain
//! that would break the header (refused), and what browsers would silently
//! drop or shorten (warned about).

use super::encoding::alphanumerics_and;
use super::set::SetCookie;
use super::SameSite;

/// Browsers store at most this many bytes per cookie (name, value and
/// attributes).
pub(super) const MAX_COOKIE_BYTES: usize = 4096;

/// Browsers cap `Max-Age` (and `Expires`) at 400 days (RFC 6265bis).
const MAX_AGE_CAP: i64 = 400 * 24 * 60 * 60;

impl SetCookie {
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

/// RFC 6265bis prefixes are matched case-insensitively.
pub(super) fn has_prefix(name: &str, prefix: &str) -> bool {
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

pub(super) fn check_name(name: &str) -> Result<(), String> {
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

pub(super) fn check_path(name: &str, path: &str) -> Result<(), String> {
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

/// Drops a leading dot and a `:port`, as Flask does, then checks what is
/// left is a host name (or an IPv4 address).
pub(super) fn normalize_domain<'a>(name: &str, domain: &'a str) -> Result<&'a str, String> {
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

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn header(cookie: &SetCookie) -> Result<String, String> {
        cookie.format_at(datetime!(2026-11-29 10:00:00 UTC))
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
}
