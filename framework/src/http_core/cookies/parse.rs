//! Splitting `Cookie` header lines into name/value pairs, as a server reads
//! them (the request side; [`Cookies`](super::Cookies) calls it on first use).
//!
//! The rules are the ones browsers follow when they *send* cookies (RFC 6265
//! section 5.4, 6265bis), hardened against the known attacks:
//!
//! - split on `;` first: a double quote never hides a `;`, so the "cookie
//!   sandwich" `a="x; __Host-sid=evil; c=y"` is three pairs;
//! - trim only space and tab (the `cookie` crate trims Unicode whitespace, so
//!   `\u{2000}__Host-x=1` would pass for a `__Host-` cookie);
//! - skip pairs without a name (`=__Host-x=1`, CVE-2023-23934) or without `=`;
//! - unquote a value fully wrapped in `"` and decode Werkzeug's backslash
//!   escapes, so values set by Flask (or phial) read back exactly;
//! - read raw bytes as UTF-8, skipping a pair that is not valid UTF-8;
//! - read at most [`MAX_PAIRS`] pairs.

use std::borrow::Cow;

use crate::http_core::params::Params;

/// At most this many cookie pairs are read from one request (Go's limit
/// after CVE-2025-58186); the rest are ignored.
pub const MAX_PAIRS: usize = 3000;

/// Parses the `Cookie` header lines into one [`Params`]: names and values
/// are spans of a single buffer holding the accepted pairs; only values with
/// escapes get their own decoded string.
pub(crate) fn parse_headers<'a>(headers: impl Iterator<Item = &'a [u8]> + Clone) -> Params {
    let capacity = headers.clone().map(<[u8]>::len).sum();
    let mut params = Params::with_text(String::with_capacity(capacity));
    for (name, value) in pairs(headers).take(MAX_PAIRS) {
        let text = params.text_mut();
        let start = text.len();
        text.push_str(name);
        let middle = text.len();
        match value {
            Cow::Borrowed(value) => {
                text.push_str(value);
                let end = text.len();
                params.push_span(start..middle, middle..end);
            }
            Cow::Owned(value) => params.push_span_key(start..middle, value),
        }
    }
    params
}

/// The accepted `name=value` pairs of the `Cookie` header lines, in order,
/// each value unquoted and unescaped (borrowed unless it had escapes).
fn pairs<'a>(
    headers: impl Iterator<Item = &'a [u8]>,
) -> impl Iterator<Item = (&'a str, Cow<'a, str>)> {
    headers
        .flat_map(|header| header.split(|byte| *byte == b';'))
        .filter_map(accept_pair)
}

/// The first value of cookie `name` among the first [`MAX_PAIRS`] pairs.
#[cfg(any(test, feature = "sessions"))]
pub(super) fn first<'a>(
    headers: impl Iterator<Item = &'a [u8]>,
    name: &str,
) -> Option<Cow<'a, str>> {
    pairs(headers)
        .take(MAX_PAIRS)
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// One pair as text; `None` for a pair that is skipped (no name, no `=`,
/// not UTF-8).
fn accept_pair(pair: &[u8]) -> Option<(&str, Cow<'_, str>)> {
    let (name, value) = split_pair(pair)?;
    let name = std::str::from_utf8(name).ok()?;
    let value = match unquote(value) {
        Unquoted::Plain(value) => Cow::Borrowed(std::str::from_utf8(value).ok()?),
        Unquoted::Decoded(bytes) => Cow::Owned(String::from_utf8(bytes).ok()?),
    };
    Some((name, value))
}

/// Splits `name=value`, trimming space and tab around both; `None` for a
/// pair without `=` or without a name.
fn split_pair(pair: &[u8]) -> Option<(&[u8], &[u8])> {
    let eq = pair.iter().position(|b| *b == b'=')?;
    let name = trim(&pair[..eq]);
    if name.is_empty() {
        return None;
    }
    Some((name, trim(&pair[eq + 1..])))
}

/// Trims space and horizontal tab, and nothing else.
fn trim(mut bytes: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = bytes {
        bytes = rest;
    }
    bytes
}

enum Unquoted<'a> {
    /// The value as sent, or the inside of its quotes: a slice of the header.
    Plain(&'a [u8]),
    /// The inside of the quotes with its backslash escapes decoded.
    Decoded(Vec<u8>),
}

/// Undoes Werkzeug's (and phial's) value encoding: a value fully wrapped in
/// double quotes loses them, and inside, `\ooo` (three octal digits, first
/// 0-3) is that byte and `\x` is `x`.
fn unquote(value: &[u8]) -> Unquoted<'_> {
    let inner = match value {
        [b'"', inner @ .., b'"'] => inner,
        _ => return Unquoted::Plain(value),
    };
    if !inner.contains(&b'\\') {
        return Unquoted::Plain(inner);
    }
    let mut out = Vec::with_capacity(inner.len());
    let mut rest = inner;
    while let Some((&byte, tail)) = rest.split_first() {
        rest = tail;
        if byte != b'\\' {
            out.push(byte);
            continue;
        }
        match rest {
            [a @ b'0'..=b'3', b @ b'0'..=b'7', c @ b'0'..=b'7', tail @ ..] => {
                out.push((a - b'0') << 6 | (b - b'0') << 3 | (c - b'0'));
                rest = tail;
            }
            [escaped, tail @ ..] => {
                out.push(*escaped);
                rest = tail;
            }
            // A lone trailing backslash stays.
            [] => out.push(b'\\'),
        }
    }
    Unquoted::Decoded(out)
}

/// Decodes one value as [`Cookies`](super::Cookies) does: unquoted and unescaped; `None` if
/// the result is not UTF-8.
#[cfg(any(test, feature = "test-client"))]
pub(crate) fn decode_value(value: &str) -> Option<String> {
    match unquote(value.as_bytes()) {
        Unquoted::Plain(plain) => String::from_utf8(plain.to_vec()).ok(),
        Unquoted::Decoded(bytes) => String::from_utf8(bytes).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(header: &[u8]) -> Params {
        parse_headers(std::iter::once(header))
    }

    fn pairs(header: &[u8]) -> Vec<(String, String)> {
        parse(header)
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn sandwich_is_three_pairs() {
        assert_eq!(
            pairs(br#"a="x; __Host-sid=evil; c=y""#),
            owned(&[("a", "\"x"), ("__Host-sid", "evil"), ("c", "y\"")])
        );
    }

    #[test]
    fn only_space_and_tab_are_trimmed() {
        let params = parse(" \t a = 1 \t;\u{2000}__Host-x=2".as_bytes());
        assert_eq!(params.get("a", None), Some("1"));
        assert_eq!(params.get("__Host-x", None), None);
        assert_eq!(params.get("\u{2000}__Host-x", None), Some("2"));
        // A non-breaking space (U+00A0) is not trimmed either.
        let params = parse("\u{a0}k=v\u{a0}".as_bytes());
        assert_eq!(params.get("\u{a0}k", None), Some("v\u{a0}"));
    }

    #[test]
    fn nameless_and_bare_pairs_are_skipped() {
        assert_eq!(
            pairs(b"=v; =__Host-x=1; bare; ok=1; ;;  = ; x"),
            owned(&[("ok", "1")])
        );
    }

    #[test]
    fn first_duplicate_wins_and_all_are_kept() {
        let params = parse(b"id=specific; id=general");
        assert_eq!(params.get("id", ""), "specific");
        assert_eq!(
            params.get_all("id").collect::<Vec<_>>(),
            ["specific", "general"]
        );
    }

    #[test]
    fn quoted_values_are_unescaped() {
        let params = parse(br#"a="caf\303\251"; b="a\"b\\c"; c="a b\073c"; d="""#);
        assert_eq!(params.get("a", ""), "café");
        assert_eq!(params.get("b", ""), "a\"b\\c");
        assert_eq!(params.get("c", ""), "a b;c");
        assert_eq!(params.get("d", None), Some(""));
    }

    #[test]
    fn partial_quotes_and_odd_escapes_stay() {
        let params = parse(br#"a="x; b=y"; c="; d="\"; e="\9\400""#);
        assert_eq!(params.get("a", ""), "\"x");
        assert_eq!(params.get("b", ""), "y\"");
        assert_eq!(params.get("c", ""), "\"");
        assert_eq!(params.get("d", ""), "\\");
        // `\9` is `9`; `\400` is not octal (first digit above 3): `4` then `00`.
        assert_eq!(params.get("e", ""), "9400");
    }

    #[test]
    fn raw_utf8_reads_as_utf8_and_invalid_pairs_are_skipped() {
        let params = parse(b"emoji=\xF0\x9F\x98\x80; bad=\xFF\xFE; ok=1; n\xC3\xA9=x");
        assert_eq!(params.get("emoji", ""), "😀");
        assert!(!params.contains("bad"));
        assert_eq!(params.get("ok", ""), "1");
        assert_eq!(params.get("né", ""), "x");
        // An escape that decodes to invalid UTF-8 is skipped as well.
        let params = parse(br#"a="\377"; b=2"#);
        assert_eq!(params.iter().collect::<Vec<_>>(), [("b", "2")]);
    }

    #[test]
    fn several_headers_are_all_read() {
        let params = parse_headers([&b"a=1; b=2"[..], b"c=3", b""].into_iter());
        assert_eq!(
            params.iter().collect::<Vec<_>>(),
            [("a", "1"), ("b", "2"), ("c", "3")]
        );
    }

    #[test]
    fn at_most_3000_pairs_are_read() {
        let header = (0..5000).map(|i| format!("k{i}=v")).collect::<Vec<_>>();
        let params = parse(header.join("; ").as_bytes());
        assert_eq!(params.len(), MAX_PAIRS);
        assert_eq!(params.get("k2999", None), Some("v"));
        assert_eq!(params.get("k3000", None), None);
    }

    #[test]
    fn hostile_bytes_never_panic() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2000 {
            let len = (seed % 64) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let alphabet = b"=;\"\\ \t a0\xc3\xa9\xff37";
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            let params = parse(&bytes);
            for (name, _) in params.iter() {
                assert!(!name.is_empty());
                assert_eq!(name.trim_matches([' ', '\t']), name);
            }
        }
    }

    #[test]
    fn empty_header_has_no_pairs() {
        assert!(parse(b"").is_empty());
        assert!(parse(b" ; ;").is_empty());
    }
}
