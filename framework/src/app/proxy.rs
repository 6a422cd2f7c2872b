//! [`App::behind_proxy`]: trusting the proxies in front of the app, as
//! Werkzeug's `ProxyFix`, and the `BEHIND_PROXY` config key. What the
//! headers say is read in `http_core/forwarded.rs`, once per request,
//! before any hook or handler runs (`dispatch.rs`), and only when set.
//! Also the warning for a `Secure` cookie set over plain http, which reads
//! the scheme as the proxy gave it.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use super::application::AppInner;
use super::config::Value;
use crate::http_core::forwarded::ProxyFix;
use crate::{App, Error, Request, Response};

impl App {
    /// Tells the app it is behind `fix`'s proxies (Flask's "Tell Flask it
    /// is behind a proxy", Werkzeug's `ProxyFix`): then
    /// [`request.remote_addr()`](crate::Request::remote_addr),
    /// [`scheme()`](crate::Request::scheme),
    /// [`host()`](crate::Request::host) and
    /// [`script_root()`](crate::Request::script_root), the access log,
    /// external URLs (`url_for(..., _external=true)`) and the cross-origin
    /// check take what the trusted proxies say. Off by default; the
    /// `BEHIND_PROXY` config key sets it too (`PHIAL_BEHIND_PROXY=true`).
    ///
    /// Only trust as many hops as there are proxies you run: a client can
    /// send these headers itself, and the values it made up sit left of
    /// what your proxies append, where the app does not look. An app
    /// reachable without its proxy must not use this at all.
    ///
    /// # Panics
    ///
    /// If `fix` trusts both `Forwarded` and `X-Forwarded-*` (see
    /// [`ProxyFix::forwarded`]).
    ///
    /// ```
    /// use phial::{App, ProxyFix};
    ///
    /// // nginx with `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`
    /// // and `proxy_set_header X-Forwarded-Proto $scheme;`: Werkzeug's defaults.
    /// let app = App::new().behind_proxy(ProxyFix::default());
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn behind_proxy(self, fix: ProxyFix) -> Self {
        if let Some(problem) = fix.problem() {
            panic!("App::behind_proxy: {problem}");
        }
        self.set_proxy_fix(Some(fix))
    }

    fn set_proxy_fix(mut self, fix: Option<ProxyFix>) -> Self {
        self.show_setting("BEHIND_PROXY", shown(fix));
        self.inner_mut().proxy_fix = fix;
        self
    }

    /// The `BEHIND_PROXY` config key: `true` (Werkzeug's defaults),
    /// `false`, or a table of counts (`{ x_for = 1, x_host = 1 }`, or
    /// `PHIAL_BEHIND_PROXY__X_HOST=1`), the counts not given taking
    /// Werkzeug's defaults (all 0 when the table sets `forwarded`).
    pub(super) fn apply_proxy_setting(self, value: &Value) -> Result<Self, Error> {
        let wrong = || {
            Error::config(format!(
                "config key `BEHIND_PROXY` must be true, false, or a table of counts such as \
                 {{ x_for = 1, x_proto = 1, x_host = 1 }} (keys x_for, x_proto, x_host, \
                 x_port, x_prefix, forwarded), not {}",
                value.describe()
            ))
        };
        let fix = match value {
            Value::Boolean(on) => on.then(ProxyFix::default),
            Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => Some(ProxyFix::default()),
                "false" | "no" | "off" | "0" | "" => None,
                _ => return Err(wrong()),
            },
            Value::Integer(0) => None,
            Value::Integer(1) => Some(ProxyFix::default()),
            Value::Table(table) => Some(from_table(table).ok_or_else(wrong)?),
            _ => return Err(wrong()),
        };
        if let Some(problem) = fix.as_ref().and_then(ProxyFix::problem) {
            return Err(Error::config(format!(
                "config key `BEHIND_PROXY`: {problem}"
            )));
        }
        Ok(self.set_proxy_fix(fix))
    }
}

/// The counts of a `BEHIND_PROXY` table (keys in any case); `None` for an
/// unknown key or a count that is no whole number, 0 or more.
fn from_table(table: &BTreeMap<String, Value>) -> Option<ProxyFix> {
    let sets_forwarded = table
        .keys()
        .any(|key| key.eq_ignore_ascii_case("forwarded"));
    let mut fix = if sets_forwarded {
        ProxyFix::forwarded(0)
    } else {
        ProxyFix::default()
    };
    for (key, value) in table {
        let count = match value {
            Value::Integer(count) => usize::try_from(*count).ok()?,
            Value::String(text) => text.trim().parse().ok()?,
            _ => return None,
        };
        let slot = match key.to_ascii_lowercase().as_str() {
            "x_for" => &mut fix.x_for,
            "x_proto" => &mut fix.x_proto,
            "x_host" => &mut fix.x_host,
            "x_port" => &mut fix.x_port,
            "x_prefix" => &mut fix.x_prefix,
            "forwarded" => &mut fix.forwarded,
            _ => return None,
        };
        *slot = count;
    }
    Some(fix)
}

/// The setting as the config shows it: `false`, or the table of counts.
fn shown(fix: Option<ProxyFix>) -> Value {
    let Some(fix) = fix else {
        return Value::Boolean(false);
    };
    let counts = [
        ("x_for", fix.x_for),
        ("x_proto", fix.x_proto),
        ("x_host", fix.x_host),
        ("x_port", fix.x_port),
        ("x_prefix", fix.x_prefix),
        ("forwarded", fix.forwarded),
    ];
    Value::Table(
        counts
            .into_iter()
            .map(|(key, count)| (key.to_owned(), Value::from_size(count)))
            .collect(),
    )
}

/// Warns, once per app, when a response sets a `Secure` cookie (the
/// session's, with `SESSION_COOKIE_SECURE`) on a request that came over
/// plain http from a host other than this machine: the browser drops such
/// a cookie, so logins silently don't stick. Behind a proxy that
/// terminates TLS, the scheme is the proxy's once the app is told with
/// [`App::behind_proxy`]. A response without cookies costs one check.
pub(super) fn warn_if_secure_cookie_over_http(
    app: &AppInner,
    request: &Request,
    response: &Response,
) {
    let cookies = response.cookies();
    if cookies.is_empty()
        || app.warned_secure_over_http.load(Ordering::Relaxed)
        || !cookies.iter().any(|cookie| cookie.is_secure())
        || request.is_secure()
        || is_this_machine(request.host())
        || app.warned_secure_over_http.swap(true, Ordering::Relaxed)
    {
        return;
    }
    let advice = if app.proxy_fix.is_some() {
        "the proxy in front says so too (X-Forwarded-Proto): check what it sends"
    } else {
        "if a proxy terminates TLS in front of the app, tell the app with \
         App::behind_proxy or BEHIND_PROXY = true"
    };
    tracing::warn!(
        "a Secure cookie was set on a request that came over plain http to {}: browsers \
         drop it (a session would never stick). Serve the site over https; {advice}",
        request.host()
    );
}

/// Whether `host` (with or without a port) names this machine, where
/// browsers take plain http as secure.
fn is_this_machine(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') && !name.is_empty() => name,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost")
        || name.to_ascii_lowercase().ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::is_this_machine;

    #[test]
    fn loopback_hosts_are_this_machine() {
        for host in [
            "localhost",
            "LOCALHOST:5000",
            "app.localhost",
            "127.0.0.1:8000",
            "[::1]:80",
            "[::1]",
        ] {
            assert!(is_this_machine(host), "{host}");
        }
        for host in [
            "example.com",
            "example.com:443",
            "10.0.0.1",
            "",
            "[2001:db8::1]:80",
        ] {
            assert!(!is_this_machine(host), "{host}");
        }
    }
}
