//! Where a test-client request goes, as far as the cookie jar cares: the
//! scheme, host and path of an absolute `http` or `https` URL (parsed by
//! `http::Uri`), and a path or URL resolved against it.
//!
//! Not the `url` crate: the jar needs no more than this, and `url` brings
//! IDNA and the ICU crates with it, about a tenth of a default release
//! build of phial (the test client is a default feature).

use std::fmt;

/// An absolute `http` or `https` URL, without its query: what the jar
/// matches cookies against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct JarUrl {
    https: bool,
    /// Lower case, as hosts compare.
    host: String,
    port: Option<u16>,
    /// Absolute, dot segments removed.
    path: String,
}

impl JarUrl {
    /// `text` if it is an absolute `http` or `https` URL with a host.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let uri: http::Uri = text.parse().ok()?;
        let https = match uri.scheme_str()? {
            scheme if scheme.eq_ignore_ascii_case("http") => false,
            scheme if scheme.eq_ignore_ascii_case("https") => true,
            _ => return None,
        };
        let authority = uri.authority()?;
        if authority.host().is_empty() {
            return None;
        }
        Some(Self {
            https,
            host: authority.host().to_ascii_lowercase(),
            port: authority.port_u16(),
            path: remove_dot_segments(uri.path()),
        })
    }

    /// `reference` (an absolute URL, or a path with or without a query,
    /// as a request is sent to) resolved against this URL, as a browser
    /// resolves a link (RFC 3986 section 5.2).
    pub(crate) fn join(&self, reference: &str) -> Option<Self> {
        if has_scheme(reference) {
            return Self::parse(reference);
        }
        let end = reference.find(['?', '#']).unwrap_or(reference.len());
        let path = &reference[..end];
        let path = if path.is_empty() {
            self.path.clone()
        } else if path.starts_with('/') {
            path.to_owned()
        } else {
            let directory = self.path.rfind('/').map_or("/", |end| &self.path[..=end]);
            format!("{directory}{path}")
        };
        Some(Self {
            path: remove_dot_segments(&path),
            host: self.host.clone(),
            ..*self
        })
    }

    /// Whether the scheme is `https`.
    pub(crate) fn is_https(&self) -> bool {
        self.https
    }

    /// The host, lower case (`[::1]` for an IPv6 address).
    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    /// The host, and the port if the URL names one: what a `Host` header
    /// says.
    pub(crate) fn authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }

    /// The path, absolute.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for JarUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.https { "https" } else { "http" };
        write!(f, "{scheme}://{}{}", self.authority(), self.path)
    }
}

/// Whether `reference` starts with a scheme (`https:`), as an absolute URL
/// does.
fn has_scheme(reference: &str) -> bool {
    reference.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|first: char| first.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'-' | b'.'))
    })
}

/// `path` with `.` and `..` segments resolved (RFC 3986 section 5.2.4);
/// always absolute.
fn remove_dot_segments(path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut last = "";
    for segment in path.split('/').skip(usize::from(path.starts_with('/'))) {
        match segment {
            "." => {}
            ".." => {
                kept.pop();
            }
            segment => kept.push(segment),
        }
        last = segment;
    }
    let mut resolved = String::with_capacity(path.len() + 1);
    for segment in &kept {
        resolved.push('/');
        resolved.push_str(segment);
    }
    // `/a/.` and `/a/..` name a folder: they end with a slash.
    if resolved.is_empty() || matches!(last, "." | "..") {
        resolved.push('/');
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> JarUrl {
        JarUrl::parse(text).unwrap()
    }

    #[test]
    fn absolute_urls_give_scheme_host_port_and_path() {
        let parsed = url("HTTPS://Example.COM:8443/a/./b/../c?q=1");
        assert!(parsed.is_https());
        assert_eq!(parsed.host(), "example.com");
        assert_eq!(parsed.authority(), "example.com:8443");
        assert_eq!(parsed.path(), "/a/c");
        assert_eq!(parsed.to_string(), "https://example.com:8443/a/c");
        assert_eq!(url("http://localhost").path(), "/");
        assert_eq!(url("http://[::1]:5000/").host(), "[::1]");
        for refused in ["localhost", "/path", "ftp://host/", "http:///path", ""] {
            assert_eq!(JarUrl::parse(refused), None, "{refused}");
        }
    }

    #[test]
    fn references_resolve_as_a_browser_resolves_links() {
        let base = url("http://localhost/shop/cart/");
        for (reference, path) in [
            ("/user?next=http://x/", "/user"),
            ("item", "/shop/cart/item"),
            ("../list", "/shop/list"),
            ("./", "/shop/cart/"),
            ("..", "/shop/"),
            ("?page=2", "/shop/cart/"),
            ("/a/b/../../..", "/"),
            ("/a//b", "/a//b"),
        ] {
            assert_eq!(base.join(reference).unwrap().path(), path, "{reference}");
        }
        let elsewhere = base.join("https://other.example/x").unwrap();
        assert_eq!(elsewhere.to_string(), "https://other.example/x");
        assert_eq!(base.join("http://").map(|url| url.to_string()), None);
    }
}
