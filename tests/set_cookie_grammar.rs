//! A checker for RFC 6265bis `set-cookie-string` (section 4.1.1), used by
//! the property tests (tests/properties.rs) and the `set_cookie` fuzz target
//! (fuzz/, which includes this file by path: keep it std-only).
//!
//! The grammar, as phial emits it (attributes after `"; "`):
//!
//! ```text
//! set-cookie-string = cookie-pair *( ";" SP cookie-av )
//! cookie-pair       = cookie-name "=" cookie-value
//! cookie-name       = token                       ; RFC 9110 tchar
//! cookie-value      = *cookie-octet / ( DQUOTE *qchar DQUOTE )
//! qchar             = cookie-octet / SP / "\" ( DQUOTE / "\" ) / "\" 3OCTAL
//! cookie-octet      = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
//! cookie-av         = expires-av / max-age-av / domain-av / path-av /
//!                     secure-av / httponly-av / samesite-av / partitioned-av
//! expires-av        = "Expires=" sane-cookie-date  ; IMF-fixdate
//! max-age-av        = "Max-Age=" [ "-" ] 1*DIGIT
//! domain-av         = "Domain=" 1*( label ) *( "." label ), label = 1*( ALPHA / DIGIT / "-" / "_" )
//! path-av           = "Path=" *av-octet
//! av-octet          = %x20-3A / %x3C-7E            ; any CHAR except CTLs or ";"
//! ```
//!
//! Two documented deviations, both what user agents parse (section 5.6):
//!
//! - RFC 6265bis has `DQUOTE *cookie-octet DQUOTE`; `qchar` adds space and
//!   Werkzeug's escapes (`\"`, `\\`, `\ooo`), which Flask, Werkzeug and
//!   phial read back; a value made only of cookie-octets is always sent bare, so the
//!   strict grammar holds for it (see [`check_strict_value`]).
//! - `Max-Age` may be `0` or negative (Flask's removal sends `Max-Age=0`;
//!   section 5.6.2 reads both as "expire now").

/// Checks `header` against the grammar above; the error says which part
/// breaks it.
pub fn check(header: &str) -> Result<(), String> {
    if let Some(bad) = header.bytes().find(|b| !(0x20..=0x7e).contains(b)) {
        return Err(format!("byte {bad:#04x} is not a visible ASCII character"));
    }
    let mut parts = header.split("; ");
    let pair = parts.next().unwrap_or("");
    let (name, value) = pair
        .split_once('=')
        .ok_or_else(|| format!("cookie-pair {pair:?} has no `=`"))?;
    if name.is_empty() || !name.bytes().all(is_tchar) {
        return Err(format!("cookie-name {name:?} is not a token"));
    }
    check_value(value)?;
    for av in parts {
        check_av(av)?;
    }
    Ok(())
}

/// Checks that a value made only of cookie-octets is emitted bare, as the
/// strict grammar wants: `sent` is the cookie-value part of the header.
pub fn check_strict_value(value: &str, sent: &str) -> Result<(), String> {
    if value.bytes().all(is_cookie_octet) && sent != value {
        return Err(format!(
            "{value:?} is all cookie-octets but was sent as {sent:?}"
        ));
    }
    Ok(())
}

/// The cookie-value part of a header (between the first `=` and `; `).
pub fn value_of(header: &str) -> &str {
    let pair = header.split("; ").next().unwrap_or("");
    pair.split_once('=').map_or("", |(_, value)| value)
}

fn check_value(value: &str) -> Result<(), String> {
    let quoted = value.len() >= 2 && value.starts_with('"') && value.ends_with('"');
    let ok = if quoted {
        is_quoted_inside(&value.as_bytes()[1..value.len() - 1])
    } else {
        value.bytes().all(is_cookie_octet)
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "cookie-value {value:?} is neither bare cookie-octets nor quoted"
        ))
    }
}

/// `*( cookie-octet / SP / "\\" ( DQUOTE / "\\" ) / "\\" 3OCTAL )`:
/// Werkzeug's quoted form.
fn is_quoted_inside(mut inside: &[u8]) -> bool {
    loop {
        inside = match inside {
            [] => return true,
            [b'\\', b'"' | b'\\', rest @ ..] => rest,
            [b'\\', b'0'..=b'3', b'0'..=b'7', b'0'..=b'7', rest @ ..] => rest,
            [b, rest @ ..] if is_cookie_octet(*b) || *b == b' ' => rest,
            _ => return false,
        };
    }
}

fn check_av(av: &str) -> Result<(), String> {
    let (name, value) = match av.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (av, None),
    };
    let ok = match (name, value) {
        ("Secure" | "HttpOnly" | "Partitioned", None) => true,
        ("SameSite", Some(value)) => matches!(value, "Strict" | "Lax" | "None"),
        ("Max-Age", Some(value)) => {
            let digits = value.strip_prefix('-').unwrap_or(value);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        ("Expires", Some(value)) => is_imf_fixdate(value),
        ("Domain", Some(value)) => value.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }),
        ("Path", Some(value)) => value
            .bytes()
            .all(|b| (0x20..=0x7e).contains(&b) && b != b';'),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("attribute {av:?} breaks the grammar"))
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 IMF-fixdate, 4-digit year).
fn is_imf_fixdate(date: &str) -> bool {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let b = date.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    date.is_ascii()
        && b.len() == 29
        && DAYS.contains(&&date[0..3])
        && &date[3..5] == ", "
        && digits(5..7)
        && b[7] == b' '
        && MONTHS.contains(&&date[8..11])
        && b[11] == b' '
        && digits(12..16)
        && b[16] == b' '
        && digits(17..19)
        && b[19] == b':'
        && digits(20..22)
        && b[22] == b':'
        && digits(23..25)
        && &date[25..] == " GMT"
}

/// RFC 9110 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// RFC 6265 `cookie-octet`.
pub fn is_cookie_octet(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2b | 0x2d..=0x3a | 0x3c..=0x5b | 0x5d..=0x7e)
}
