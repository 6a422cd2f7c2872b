//! One connection: the protocol sniff under the header-read deadline, then
//! hyper's HTTP/1 or HTTP/2 with phial's limits, closed when idle, when the
//! server shuts down, or (by the caller) at the shutdown deadline
//! (`closing.rs` watches for those).

use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;

use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
#[cfg(feature = "http2")]
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::net::TcpStream;
use tokio::sync::watch;

use super::access_log::Peer;
use super::closing::{
    log_head_overdue, stopped, Counted, InFlight, Requests, Watch, SHUTDOWN_GRACE,
};
use super::head_timer::HeadTimer;
use super::limits::{Limits, LONGEST_TIMEOUT};
use super::serve::Serve;
use super::sniff;
use super::watched::Watched;

/// hyper's HTTP/1 header-count limit when none is set.
const HYPER_MAX_HEADERS: usize = 100;

#[cfg(feature = "http2")]
/// Requests one HTTP/2 connection may have in flight at once.
const H2_MAX_CONCURRENT_STREAMS: u32 = 200;

#[cfg(feature = "http2")]
/// Streams an HTTP/2 client may open and reset before the server has
/// accepted them, at once (h2's default).
const H2_MAX_PENDING_ACCEPT_RESET_STREAMS: usize = 20;

#[cfg(feature = "http2")]
/// Streams the server may reset for a client's protocol errors on one
/// HTTP/2 connection before it closes the connection (h2's default).
const H2_MAX_LOCAL_ERROR_RESET_STREAMS: usize = 1024;

/// Serves one accepted connection until it closes, or until `stopping`
/// turns true and its in-flight requests are answered.
pub(super) async fn serve_connection<S: Serve>(
    app: Arc<S>,
    stream: TcpStream,
    remote: SocketAddr,
    mut stopping: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let config = app.limits();
    // The first request's head is due within the timeout of the accept,
    // whatever the sniffing took.
    let mut first_head_due = pin!(tokio::time::sleep(config.header_read_timeout));
    // A shutdown gives a connection still silent a short grace for its
    // first request (see `drive`).
    let mut sniffing = pin!(sniff::sniff(stream));
    let mut grace = pin!(tokio::time::sleep(LONGEST_TIMEOUT));
    let mut stop_seen = false;
    let sniffed = loop {
        tokio::select! {
            sniffed = sniffing.as_mut() => break sniffed,
            () = first_head_due.as_mut() => {
                log_head_overdue(config, remote);
                return;
            }
            () = stopped(&mut stopping), if !stop_seen => {
                stop_seen = true;
                grace.as_mut().reset(tokio::time::Instant::now() + SHUTDOWN_GRACE);
            }
            () = grace.as_mut(), if stop_seen => return,
        }
    };
    let (protocol, stream) = match sniffed {
        Ok(Some(sniffed)) => sniffed,
        Ok(None) => return,
        Err(error) => {
            tracing::debug!("{remote}: read failed: {error}");
            return;
        }
    };
    let (stream, signals) = Watched::new(stream, config.write_timeout);
    let io = TokioIo::new(stream);
    let (requests_tx, requests) = watch::channel(Requests::default());
    let requests_tx = Arc::new(Counted {
        requests: requests_tx,
        stopping: stopping.clone(),
    });
    let service_app = Arc::clone(&app);
    // Only HTTP/2 connections are closed when idle (hyper's header-read
    // timeout does it for HTTP/1), so only they wait on in-flight changes.
    let close_idle = protocol == sniff::Protocol::Http2;
    let peer = Peer::new(remote);
    let service = service_fn(move |request| {
        let counted = InFlight::enter(Arc::clone(&requests_tx), close_idle);
        Arc::clone(&service_app).serve(request, peer, counted)
    });
    let watch = Watch {
        config,
        remote,
        stopping,
        requests,
        first_head_due,
    };
    let result = match protocol {
        sniff::Protocol::Http1 => {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(HeadTimer::default())
                .header_read_timeout(config.header_read_timeout.min(LONGEST_TIMEOUT))
                .max_header_size(config.max_header_size)
                .keep_alive(true);
            // hyper's own limit is the same 100 headers, parsed into stack
            // arrays it leaves uninitialized; an explicit limit (even an
            // equal one) makes it initialize two 100-entry arrays for every
            // request (a sixth of hyper's parsing cost in the profile).
            if config.max_headers != HYPER_MAX_HEADERS {
                builder.max_headers(config.max_headers);
            }
            // hyper's header-read timeout covers later requests' heads and
            // closes idle keep-alive connections.
            let connection = pin!(builder.serve_connection(io, service));
            watch.drive(connection, close_idle).await
        }
        #[cfg(not(feature = "http2"))]
        sniff::Protocol::Http2 => {
            tracing::info!(
                "{remote}: sent the HTTP/2 preface, but phial was built without its \
                 `http2` feature: closed"
            );
            return;
        }
        #[cfg(feature = "http2")]
        sniff::Protocol::Http2 => {
            let mut builder = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
            builder
                .timer(TokioTimer::new())
                .max_header_list_size(u32::try_from(config.max_header_size).unwrap_or(u32::MAX))
                .keep_alive_interval(Some(std::time::Duration::from_secs(60)))
                // Floods (scripts/h2flood.py): the values are hyper's and
                // h2's defaults, pinned here so an upgrade can't loosen
                // them. Rapid Reset: streams the client resets before the
                // handler picks them up; more than that many at once is a
                // connection error (GOAWAY).
                .max_concurrent_streams(H2_MAX_CONCURRENT_STREAMS)
                .max_pending_accept_reset_streams(H2_MAX_PENDING_ACCEPT_RESET_STREAMS)
                // Streams the server had to reset for the client's errors.
                .max_local_error_reset_streams(Some(H2_MAX_LOCAL_ERROR_RESET_STREAMS));
            // hyper has no header-read timeout for HTTP/2: an idle
            // connection is closed after the same timeout. Boxed: hyper's
            // HTTP/2 connection is 1.7 KB larger than its HTTP/1 one, and
            // inline it would size every connection's task for HTTP/2.
            let mut connection = Box::pin(builder.serve_connection(io, service));
            watch.drive(connection.as_mut(), close_idle).await
        }
    };
    if signals.write_stalled() {
        tracing::info!(
            "{remote}: closed, the client read none of the response for {:?}",
            config.write_timeout
        );
    } else if let Err(error) = result {
        if protocol == sniff::Protocol::Http2 {
            log_http2_error(remote, &error);
        } else {
            log_connection_error(config, remote, &error, signals.mid_request());
        }
    }
}

/// hyper answers a malformed or oversized request head itself (400, 414,
/// 431, with an empty body) and closes a connection whose head doesn't
/// arrive in time (no answer): say so in the log, as for the refusals phial
/// makes. The same timeout closing a keep-alive connection on which the
/// client sent nothing more is routine.
fn log_connection_error(
    config: &Limits,
    remote: SocketAddr,
    error: &hyper::Error,
    mid_request: bool,
) {
    if error.is_timeout() && !mid_request {
        tracing::debug!(
            "{remote}: closed, idle for {:?}",
            config.header_read_timeout
        );
    } else if error.is_timeout() {
        log_head_overdue(config, remote);
    } else if error.is_parse_too_large() {
        // hyper tells the two apart only in its message.
        let status = if error.to_string().contains("URI") {
            414
        } else {
            431
        };
        tracing::info!(
            "{remote}: {status}, request head too large: {error} (limits: {} bytes, {} headers)",
            config.max_header_size,
            config.max_headers
        );
    } else if error.is_parse() {
        tracing::info!("{remote}: 400, malformed request: {error}");
    } else {
        tracing::debug!("{remote}: connection ended with an error: {error}");
    }
}

/// An HTTP/2 connection hyper ended with an error. A protocol error (a
/// flood of reset streams, a header block over the limit: the client was
/// sent a GOAWAY saying so) is worth a line; a client that went away (an
/// I/O error) is routine.
fn log_http2_error(remote: SocketAddr, error: &hyper::Error) {
    use std::error::Error as _;
    // hyper's own message is only "http2 error": the cause says what.
    let mut cause = error.to_string();
    let mut io = false;
    let mut source = error.source();
    while let Some(inner) = source {
        cause.push_str(": ");
        cause.push_str(&inner.to_string());
        io |= inner.is::<std::io::Error>();
        source = inner.source();
    }
    if io {
        tracing::debug!("{remote}: connection ended with an error: {cause}");
    } else {
        tracing::info!("{remote}: HTTP/2 connection closed: {cause}");
    }
}
