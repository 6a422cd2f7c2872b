//! [`Cookies`], the cookies a request carries: its `Cookie` header lines
//! kept as they came (cheap clones), parsed into a [`Params`] on first read.

use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use http::HeaderValue;

use super::lines::CookieLines;
use super::parse::parse_headers;
use crate::http_core::params::Params;

/// The cookies a request carries: a [`Params`] parsed from the `Cookie`
/// header(s) on first use. Use it through `Params`' methods.
///
/// ```
/// use phial::prelude::*;
///
/// #[route("/user")]
/// fn user(request: &Request) -> String {
///     let username = request.cookies.get("username", "Guest");
///     let visits = request.cookies.get("visits", 0u32);
///     format!("Hello, {username}! Visit number {}.", visits + 1)
/// }
/// ```
///
/// When a name repeats, [`get`](Params::get) returns the first value:
/// browsers send the cookie with the most specific path first. `get_all`
/// returns every value in order.
pub struct Cookies {
    // Cheap reference-counted clones of the header values: nothing is parsed
    // or copied until a handler reads a cookie.
    headers: CookieLines,
    parsed: OnceLock<Params>,
    /// The app's keys, for signed and private cookies.
    #[cfg(feature = "sessions")]
    pub(super) keys: Option<std::sync::Arc<dyn crate::http_core::secret::KeySource>>,
}

impl Cookies {
    /// The cookies of these `Cookie` header lines, parsed on first use.
    pub(crate) fn from_lines(lines: CookieLines) -> Self {
        Self {
            headers: lines,
            parsed: OnceLock::new(),
            #[cfg(feature = "sessions")]
            keys: None,
        }
    }

    /// Whether anything read the cookies yet (the response then varies by
    /// `Cookie`).
    pub(crate) fn was_read(&self) -> bool {
        self.parsed.get().is_some()
    }

    /// Parses `Cookie` header values as a server receives them.
    ///
    /// ```
    /// let cookies = phial::Cookies::parse(["theme=dark; lang=\"caf\\303\\251\""]);
    /// assert_eq!(cookies.get("theme", ""), "dark");
    /// assert_eq!(cookies.get("lang", ""), "café");
    /// ```
    pub fn parse<'a>(headers: impl IntoIterator<Item = &'a str>) -> Params {
        let headers: Vec<&[u8]> = headers.into_iter().map(str::as_bytes).collect();
        parse_headers(headers.into_iter())
    }
}

impl Deref for Cookies {
    type Target = Params;

    fn deref(&self) -> &Params {
        self.parsed.get_or_init(|| match &self.headers {
            CookieLines::None => Params::new(),
            CookieLines::One(one) => parse_headers(std::iter::once(one.as_bytes())),
            CookieLines::Many(many) => parse_headers(many.iter().map(HeaderValue::as_bytes)),
        })
    }
}

impl fmt::Debug for Cookies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http_core::cookies::MAX_PAIRS;

    fn parse(header: &[u8]) -> Params {
        parse_headers(std::iter::once(header))
    }

    /// The session reads its cookie with `CookieLines::first`, handlers
    /// with `Cookies`: both must see the same value for every header.
    #[test]
    fn first_reads_what_the_full_parse_reads() {
        let headers: [&[u8]; 7] = [
            b"session=abc; theme=dark",
            b"theme=dark; session=\"a\\\"b\"; session=second",
            b"=session=x; session =y",
            br#"a="x; session=evil; c=y""#,
            b"session=\xff\xfe; session=ok",
            b"nothing=here",
            b"",
        ];
        for header in headers {
            let lines = CookieLines::One(HeaderValue::from_bytes(header).unwrap());
            let full = parse(header);
            assert_eq!(
                lines.first("session").as_deref(),
                full.get("session", None),
                "{}",
                String::from_utf8_lossy(header)
            );
        }
        let many = CookieLines::Many(vec![
            HeaderValue::from_static("a=1"),
            HeaderValue::from_static("session=from-the-second-line"),
        ]);
        assert_eq!(
            many.first("session").as_deref(),
            Some("from-the-second-line")
        );
        let over_the_limit = format!("{}session=late", "a=1;".repeat(MAX_PAIRS));
        let lines = CookieLines::One(HeaderValue::from_str(&over_the_limit).unwrap());
        assert_eq!(lines.first("session"), None);
        assert_eq!(parse(over_the_limit.as_bytes()).get("session", None), None);
    }
}
