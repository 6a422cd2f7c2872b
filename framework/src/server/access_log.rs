//! The access log: one line per request (target `phial::access`, level
//! INFO), refused ones included.

use std::net::SocketAddr;
use std::time::Instant;

use http::{Method, StatusCode, Uri, Version};

/// The time a request started, if the access log (target `phial::access`,
/// level INFO) is on; `None` spares reading the clock when it is off.
pub(crate) fn access_log_started() -> Option<Instant> {
    tracing::enabled!(target: "phial::access", tracing::Level::INFO).then(Instant::now)
}

/// The access-log line for one request (target `phial::access`), as
/// `127.0.0.1:50632 "GET /?q=1 HTTP/1.1" 200 0.042ms`.
pub(crate) fn log_access(
    remote_addr: SocketAddr,
    (method, target, version): (&Method, &Uri, Version),
    status: StatusCode,
    started: Instant,
) {
    tracing::info!(
        target: "phial::access",
        "{remote_addr} \"{method} {target} {version:?}\" {} {:.3}ms",
        status.as_u16(),
        started.elapsed().as_secs_f64() * 1000.0,
    );
}
