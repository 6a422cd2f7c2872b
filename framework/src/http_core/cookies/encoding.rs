//! How cookie text is written on the wire: Werkzeug's quoting of a value,
//! the percent-encoding of a `Path`, and the byte tables both check every
//! byte against.

use std::fmt::Write as _;

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

/// Percent-encodes what a browser would encode in a URL path (space, `"`,
/// `<`, `?`, ...), as Werkzeug does, so `Path=` matches the request paths
/// the browser sends; `%` is kept, so an encoded path stays as it is.
pub(super) fn encode_path(path: &str, out: &mut String) {
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

/// A byte table: true for ASCII letters and digits and for `others`.
pub(super) const fn alphanumerics_and(others: &[u8]) -> [bool; 256] {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(value: &str) -> String {
        let mut out = String::new();
        encode_value(value, &mut out);
        out
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
    fn the_path_table_keeps_what_werkzeug_keeps() {
        for byte in 0..=255u8 {
            let kept = byte.is_ascii_alphanumeric() || b"_.-~%!$&'()*+,/:=@".contains(&byte);
            assert_eq!(is_path_byte(byte), kept, "{byte:#04x}");
        }
        let mut out = String::new();
        encode_path("/a b/ü?/~%41", &mut out);
        assert_eq!(out, "/a%20b/%C3%BC%3F/~%41");
    }
}
