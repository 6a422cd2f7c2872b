//! Behind a proxy: what the `X-Forwarded-*` headers (Werkzeug's
//! `ProxyFix`) or RFC 7239's `Forwarded` say about the client, counting
//! only the hops the app trusts. The header syntax is read in
//! `forwarded_parse.rs`.

use std::net::SocketAddr;

use http::HeaderMap;

use super::forwarded_parse::{
    forwarded_element, list_item, node_address, valid_host, valid_scheme,
};

/// How many proxies in front of the app set each header, as Werkzeug's
/// `ProxyFix` takes them (and with its defaults: `x_for = 1`,
/// `x_proto = 1`, the others 0). Given to
/// [`App::behind_proxy`](crate::App::behind_proxy).
///
/// Each proxy appends what it saw to the header, so the value the app can
/// trust is the `n`th from the end, where `n` is the number of proxies
/// that set it: anything further left was written by the client itself.
/// A header with fewer values than that, or a value that doesn't parse
/// (an address that is no IP address), is ignored, as Werkzeug ignores it.
///
/// ```
/// use phial::{App, ProxyFix};
///
/// // One nginx in front, passing the client's address, scheme and host.
/// let app = App::new().behind_proxy(ProxyFix { x_host: 1, ..ProxyFix::default() });
///
/// // A proxy that writes RFC 7239's `Forwarded` instead.
/// let app = App::new().behind_proxy(ProxyFix::forwarded(1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProxyFix {
    /// Values of `X-Forwarded-For` to trust: the client's address.
    pub x_for: usize,
    /// Values of `X-Forwarded-Proto` to trust: the scheme (`https`).
    pub x_proto: usize,
    /// Values of `X-Forwarded-Host` to trust: the `Host` the client sent.
    pub x_host: usize,
    /// Values of `X-Forwarded-Port` to trust: the port the client connected to.
    pub x_port: usize,
    /// Values of `X-Forwarded-Prefix` to trust: the path the app is mounted
    /// under (Flask's `SCRIPT_NAME`), which `url_for` puts in front.
    pub x_prefix: usize,
    /// Elements of RFC 7239's `Forwarded` header to trust (its `for`,
    /// `proto` and `host`). When it is over 0 the `x_*` counts must be 0:
    /// see [`ProxyFix::forwarded`].
    pub forwarded: usize,
}

impl Default for ProxyFix {
    /// Werkzeug's defaults: one proxy, setting `X-Forwarded-For` and
    /// `X-Forwarded-Proto`.
    fn default() -> Self {
        Self {
            x_for: 1,
            x_proto: 1,
            x_host: 0,
            x_port: 0,
            x_prefix: 0,
            forwarded: 0,
        }
    }
}

impl ProxyFix {
    /// Trusts the last `hops` elements of RFC 7239's `Forwarded` header
    /// (`Forwarded: for=203.0.113.7;proto=https;host=example.com`) and no
    /// `X-Forwarded-*` header.
    #[must_use]
    pub fn forwarded(hops: usize) -> Self {
        Self {
            x_for: 0,
            x_proto: 0,
            x_host: 0,
            x_port: 0,
            x_prefix: 0,
            forwarded: hops,
        }
    }

    /// Why these counts can't be used, if they can't: trusting both
    /// `Forwarded` and `X-Forwarded-*` would let a client fill in the
    /// family its proxy doesn't write.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        let x = self.x_for + self.x_proto + self.x_host + self.x_port + self.x_prefix;
        (self.forwarded > 0 && x > 0).then_some(
            "ProxyFix trusts both `Forwarded` and `X-Forwarded-*` headers: a proxy writes one \
             family, and a client could forge the other. Use `ProxyFix::forwarded(hops)` for \
             RFC 7239, or set `forwarded: 0`",
        )
    }

    /// What the trusted headers of a request say, or `None` when they say
    /// nothing usable (the request is then taken as the socket saw it).
    /// `authority` is the request target's (HTTP/2 sends the host there,
    /// not in `Host`).
    pub(crate) fn resolve(
        &self,
        headers: &HeaderMap,
        authority: Option<&str>,
    ) -> Option<Box<Forwarded>> {
        let mut resolved = Forwarded::default();
        if self.forwarded > 0 {
            let element = forwarded_element(headers, self.forwarded)?;
            resolved.remote_addr = element.remote.and_then(node_address);
            resolved.scheme = element.proto.and_then(valid_scheme);
            resolved.host = element.host.and_then(valid_host).map(Into::into);
        } else {
            let value = |name: &str, trusted: usize| list_item(headers.get_all(name), trusted);
            resolved.remote_addr = value("x-forwarded-for", self.x_for).and_then(node_address);
            resolved.scheme = value("x-forwarded-proto", self.x_proto).and_then(valid_scheme);
            resolved.host = value("x-forwarded-host", self.x_host)
                .and_then(valid_host)
                .map(Into::into);
            if let Some(port) =
                value("x-forwarded-port", self.x_port).and_then(|port| port.parse::<u16>().ok())
            {
                let host = resolved.host.as_deref().or_else(|| {
                    let host = match headers.get(http::header::HOST) {
                        Some(host) => host.to_str().ok()?,
                        None => authority?,
                    };
                    valid_host(host)
                });
                if let Some(host) = host {
                    resolved.host = Some(with_port(host, port).into());
                }
            }
            resolved.prefix = value("x-forwarded-prefix", self.x_prefix)
                .and_then(valid_prefix)
                .map(Into::into);
        }
        resolved.says_something().then(|| Box::new(resolved))
    }
}

/// What a trusted proxy said about a request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Forwarded {
    /// The client's address (port 0 when the proxy gave none).
    pub(crate) remote_addr: Option<SocketAddr>,
    /// The scheme the client used, lowercase (`https`).
    pub(crate) scheme: Option<&'static str>,
    /// The host (and port) the client sent the request to.
    pub(crate) host: Option<Box<str>>,
    /// The path the app is mounted under, without a trailing `/`.
    pub(crate) prefix: Option<Box<str>>,
}

impl Forwarded {
    fn says_something(&self) -> bool {
        self.remote_addr.is_some()
            || self.scheme.is_some()
            || self.host.is_some()
            || self.prefix.is_some()
    }
}

/// `host` with its port (if any) replaced by `port`, as Werkzeug does it
/// (a `]` at the end is an IPv6 address without a port).
fn with_port(host: &str, port: u16) -> String {
    let name = match host.rfind(':') {
        Some(colon) if !host.ends_with(']') => &host[..colon],
        _ => host,
    };
    format!("{name}:{port}")
}

/// A mount prefix that can go in front of a URL path: starts with one `/`
/// (two would make `url_for` write a link to another host), holds only
/// what a path may, and loses its trailing `/`. `/` alone is no prefix.
fn valid_prefix(prefix: &str) -> Option<&str> {
    let trimmed = prefix.trim_end_matches('/');
    let path_chars = trimmed
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@%/".contains(&b));
    (prefix.starts_with('/') && !prefix.starts_with("//") && !trimmed.is_empty() && path_chars)
        .then_some(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_port_replaces_the_hosts_as_werkzeug_does() {
        assert_eq!(with_port("example.com", 443), "example.com:443");
        assert_eq!(with_port("example.com:8080", 443), "example.com:443");
        assert_eq!(with_port("[::1]", 443), "[::1]:443");
        assert_eq!(with_port("[::1]:80", 443), "[::1]:443");
    }

    #[test]
    fn prefixes_are_paths_and_never_another_host() {
        assert_eq!(valid_prefix("/app/"), Some("/app"));
        assert_eq!(valid_prefix("/a/b"), Some("/a/b"));
        assert_eq!(valid_prefix("//evil.example"), None);
        assert_eq!(valid_prefix("app"), None);
        assert_eq!(valid_prefix("/"), None);
        assert_eq!(valid_prefix("/a\"><script>"), None);
    }

    #[test]
    fn x_forwarded_port_replaces_the_host_headers_port() {
        let fix = ProxyFix {
            x_port: 1,
            ..ProxyFix::default()
        };
        let map = headers(&[("host", "example.com:8000"), ("x-forwarded-port", "443")]);
        let resolved = fix.resolve(&map, None).unwrap();
        assert_eq!(resolved.host.as_deref(), Some("example.com:443"));
        // HTTP/2: the host is in the target's authority.
        let map = headers(&[("x-forwarded-port", "8443")]);
        let resolved = fix.resolve(&map, Some("example.com")).unwrap();
        assert_eq!(resolved.host.as_deref(), Some("example.com:8443"));
    }

    #[test]
    fn nothing_usable_resolves_to_none() {
        let map = headers(&[("x-forwarded-for", "not an address")]);
        assert_eq!(ProxyFix::default().resolve(&map, None), None);
        assert_eq!(ProxyFix::default().resolve(&HeaderMap::new(), None), None);
    }

    #[test]
    fn both_families_trusted_at_once_is_a_setup_problem() {
        assert!(ProxyFix::default().problem().is_none());
        assert!(ProxyFix::forwarded(1).problem().is_none());
        let both = ProxyFix {
            forwarded: 1,
            ..ProxyFix::default()
        };
        assert!(both.problem().is_some());
    }
}
