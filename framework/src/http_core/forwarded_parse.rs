//! The syntax of the proxy headers: comma-separated lists
//! (`X-Forwarded-For: 203.0.113.7, 10.0.0.1`), RFC 7239's `Forwarded`
//! elements (`for="[2001:db8::1]:4711";proto=https`), and what each value
//! may hold. Nothing here allocates but the list of a header's values.

use std::net::{IpAddr, SocketAddr};

use http::header::GetAll;
use http::HeaderValue;

/// The `trusted`th value from the end of a list header, all its lines
/// taken as one list (as a proxy that adds a line instead of appending to
/// the last one means it); `None` when it has fewer values, or `trusted`
/// is 0.
pub(super) fn list_item(lines: GetAll<'_, HeaderValue>, trusted: usize) -> Option<&str> {
    if trusted == 0 {
        return None;
    }
    let items: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.to_str().ok())
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect();
    items.len().checked_sub(trusted).map(|index| items[index])
}

/// What one element of `Forwarded` says (RFC 7239, section 4).
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Element<'a> {
    pub(super) remote: Option<&'a str>,
    pub(super) proto: Option<&'a str>,
    pub(super) host: Option<&'a str>,
}

/// The `trusted`th element of `Forwarded` from the end, all its lines
/// taken as one list.
pub(super) fn forwarded_element(headers: &http::HeaderMap, trusted: usize) -> Option<Element<'_>> {
    if trusted == 0 {
        return None;
    }
    let elements: Vec<&str> = headers
        .get_all(http::header::FORWARDED)
        .iter()
        .filter_map(|line| line.to_str().ok())
        .flat_map(|line| split_outside_quotes(line, b','))
        .map(str::trim)
        .filter(|element| !element.is_empty())
        .collect();
    let element = elements[elements.len().checked_sub(trusted)?];
    let mut read = Element::default();
    for pair in split_outside_quotes(element, b';') {
        let Some((name, value)) = pair.trim().split_once('=') else {
            continue;
        };
        let value = unquote(value.trim());
        let slot = match name.trim().to_ascii_lowercase().as_str() {
            "for" => &mut read.remote,
            "proto" => &mut read.proto,
            "host" => &mut read.host,
            _ => continue,
        };
        // A parameter given twice makes the element ambiguous: its first
        // value stands, as in most readers.
        if slot.is_none() {
            *slot = value;
        }
    }
    Some(read)
}

/// `text` split at each `separator` that is not inside a quoted string.
fn split_outside_quotes(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        let mut quoted = false;
        let mut escaped = false;
        for (index, byte) in text.bytes().enumerate() {
            match byte {
                _ if escaped => escaped = false,
                b'\\' if quoted => escaped = true,
                b'"' => quoted = !quoted,
                _ if byte == separator && !quoted => {
                    rest = Some(&text[index + 1..]);
                    return Some(&text[..index]);
                }
                _ => {}
            }
        }
        rest = None;
        Some(text)
    })
}

/// A token, or a quoted string's content; `None` for a quoted string with
/// escapes (no address, scheme or host needs one) or an unclosed quote.
fn unquote(value: &str) -> Option<&str> {
    match value.strip_prefix('"') {
        Some(quoted) => quoted
            .strip_suffix('"')
            .filter(|inner| !inner.contains(['\\', '"'])),
        None => Some(value),
    }
}

/// The client's address in a `for` or `X-Forwarded-For` value:
/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`, `[2001:db8::1]`,
/// `[2001:db8::1]:4711`, with port 0 when none is given. Obfuscated
/// (`_hidden`) and `unknown` nodes are no address.
pub(super) fn node_address(value: &str) -> Option<SocketAddr> {
    if let Ok(address) = value.parse::<SocketAddr>() {
        return Some(address);
    }
    let ip = value
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .unwrap_or(value);
    ip.parse::<IpAddr>().ok().map(|ip| SocketAddr::new(ip, 0))
}

/// The scheme named by `proto` or `X-Forwarded-Proto`, if it is one a web
/// app is reached by.
pub(super) fn valid_scheme(value: &str) -> Option<&'static str> {
    ["https", "http", "wss", "ws"]
        .into_iter()
        .find(|scheme| scheme.eq_ignore_ascii_case(value))
}

/// A `host[:port]` a URL can be built with: no user info, no path.
pub(super) fn valid_host(value: &str) -> Option<&str> {
    let authority = value.parse::<http::uri::Authority>().ok()?;
    (!value.is_empty() && !value.contains('@') && authority.as_str() == value).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(name: &'static str, lines: &[&'static str]) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for line in lines {
            headers.append(name, HeaderValue::from_static(line));
        }
        headers
    }

    #[test]
    fn list_items_count_from_the_end_across_lines() {
        let headers = map("x-forwarded-for", &["1.1.1.1, 2.2.2.2", " 3.3.3.3 ,"]);
        let item = |n| list_item(headers.get_all("x-forwarded-for"), n);
        assert_eq!(item(1), Some("3.3.3.3"));
        assert_eq!(item(2), Some("2.2.2.2"));
        assert_eq!(item(3), Some("1.1.1.1"));
        assert_eq!(item(4), None);
        assert_eq!(item(0), None);
    }

    #[test]
    fn forwarded_elements_respect_quotes() {
        let headers = map(
            "forwarded",
            &[
                "for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\";Proto=HTTPS;host=\"a,b\"",
                "For=198.51.100.17;by=203.0.113.60;host=example.com",
            ],
        );
        let last = forwarded_element(&headers, 1).unwrap();
        assert_eq!(last.remote, Some("198.51.100.17"));
        assert_eq!(last.host, Some("example.com"));
        assert_eq!(last.proto, None);
        let second = forwarded_element(&headers, 2).unwrap();
        assert_eq!(second.remote, Some("[2001:db8:cafe::17]:4711"));
        assert_eq!(second.proto, Some("HTTPS"));
        assert_eq!(second.host, Some("a,b"));
        assert_eq!(forwarded_element(&headers, 3).unwrap().proto, Some("http"));
        assert_eq!(forwarded_element(&headers, 4), None);
    }

    #[test]
    fn addresses_take_every_form_a_proxy_writes() {
        let at = |text: &str| node_address(text).map(|address| address.to_string());
        assert_eq!(at("203.0.113.7").as_deref(), Some("203.0.113.7:0"));
        assert_eq!(at("203.0.113.7:4711").as_deref(), Some("203.0.113.7:4711"));
        assert_eq!(at("2001:db8::1").as_deref(), Some("[2001:db8::1]:0"));
        assert_eq!(at("[2001:db8::1]").as_deref(), Some("[2001:db8::1]:0"));
        assert_eq!(
            at("[2001:db8::1]:4711").as_deref(),
            Some("[2001:db8::1]:4711")
        );
        assert_eq!(at("unknown"), None);
        assert_eq!(at("_hidden"), None);
    }

    #[test]
    fn only_web_schemes_and_plain_hosts_are_taken() {
        assert_eq!(valid_scheme("HTTPS"), Some("https"));
        assert_eq!(valid_scheme("javascript"), None);
        assert_eq!(valid_host("example.com:8443"), Some("example.com:8443"));
        assert_eq!(valid_host("[::1]:80"), Some("[::1]:80"));
        assert_eq!(valid_host("user@evil.example"), None);
        assert_eq!(valid_host("evil.example/path"), None);
        assert_eq!(valid_host(""), None);
    }
}
