//! One connection: the protocol sniff under the header-read deadline, then
//! hyper's HTTP/1 or HTTP/2 with phial's limits, closed when idle, when the
//! server shuts down, or (by the caller) at the shutdown deadline.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
#[cfg(feature = "http2")]
use hyper_util::rt::{TokioExecutor, TokioTimer};
use hyper_util::server::graceful::GracefulConnection;
use sync_wrapper::SyncWrapper;
use tokio::net::TcpStream;
use tokio::sync::watch;

use super::access_log::Peer;
use super::head_timer::HeadTimer;
use super::limits::{Limits, LONGEST_TIMEOUT};
use super::serve::Serve;
use super::sniff;
use super::watched::Watched;
use super::when_woken::WhenWoken;
use crate::http_core::response::Held;

/// hyper's HTTP/1 header-count limit when none is set.
const HYPER_MAX_HEADERS: usize = 100;

/// How long a connection that has sent no request yet may take to send
/// its first once the server is shutting down: a client that has just
/// connected is answered (a restart loses no request), one that stays
/// silent doesn't hold the shutdown up.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(250);

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
                .keep_alive_interval(Some(Duration::from_secs(60)))
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

fn log_head_overdue(config: &Limits, remote: SocketAddr) {
    tracing::info!(
        "{remote}: closed, request head not received within {:?}",
        config.header_read_timeout
    );
}

/// The requests on one connection.
#[derive(Clone, Copy, Debug, Default)]
struct Requests {
    in_flight: usize,
    received: u64,
}

/// A connection's count of requests in flight, and the server's signal
/// to stop, shared by its requests (one `Arc` for both: no more per
/// request than the count alone).
struct Counted {
    requests: watch::Sender<Requests>,
    stopping: watch::Receiver<bool>,
}

/// Counts a request in flight on its connection while alive; held by a
/// streamed response body, which it ends when the server stops (a stream
/// of server-sent events would otherwise hold the shutdown up to its
/// timeout, and the reloader's restart with it).
///
/// Waiters are woken only for what they wait on: the first request, and
/// (with `close_idle`) the connection turning busy or idle. Waking on every
/// request cost ~600 instructions a request (tokio's watch notifies eight
/// queues), about 4% of what phial spent on one.
struct InFlight {
    counted: Arc<Counted>,
    close_idle: bool,
    /// Made when a streamed body first asks whether to stop.
    stopped: Option<SyncWrapper<Pin<Box<dyn Future<Output = ()> + Send>>>>,
}

impl InFlight {
    fn enter(counted: Arc<Counted>, close_idle: bool) -> Self {
        counted.requests.send_if_modified(|requests| {
            requests.in_flight += 1;
            requests.received += 1;
            requests.received == 1 || (close_idle && requests.in_flight == 1)
        });
        Self {
            counted,
            close_idle,
            stopped: None,
        }
    }
}

impl Held for InFlight {
    fn poll_stop(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let stopped = self.stopped.get_or_insert_with(|| {
            let mut stopping = self.counted.stopping.clone();
            SyncWrapper::new(Box::pin(async move {
                // An error: the server is gone, which is a stop too.
                let _ = stopping.wait_for(|stopping| *stopping).await;
            }))
        });
        stopped.get_mut().as_mut().poll(cx)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let close_idle = self.close_idle;
        self.counted.requests.send_if_modified(|requests| {
            requests.in_flight -= 1;
            close_idle && requests.in_flight == 0
        });
    }
}

/// What a connection is closed for, besides its own end.
struct Watch<'a, D> {
    config: &'a Limits,
    remote: SocketAddr,
    stopping: watch::Receiver<bool>,
    requests: watch::Receiver<Requests>,
    first_head_due: Pin<&'a mut D>,
}

impl<D: Future<Output = ()>> Watch<'_, D> {
    /// Polls `connection` to its end. It is dropped if its first request
    /// doesn't arrive in time. When the server is stopping, or (with
    /// `close_idle`) the connection has had no request in flight for the
    /// header-read timeout, it is asked to close gracefully (HTTP/1: after
    /// the current response; HTTP/2: GOAWAY, then dropped if still open one
    /// more timeout later).
    ///
    /// The connection comes pinned by the caller: taken by value, it would
    /// be stored twice in this future's state (as the argument and as the
    /// pinned local), 750 bytes more per connection.
    async fn drive<C: GracefulConnection>(
        mut self,
        mut connection: Pin<&mut C>,
        close_idle: bool,
    ) -> Result<(), C::Error> {
        let timeout = self.config.header_read_timeout;
        let remote = self.remote;
        let mut requests = self.requests.clone();
        // Asked to stop before its first request arrived, a connection
        // gets SHUTDOWN_GRACE for it, and is closed once it is answered:
        // closed at once, the request the client has just sent on it would
        // be lost, as by a restart under `run --debug`.
        let mut arrivals = self.requests.clone();
        let received = self.requests.clone();
        let mut stop_after_first = false;
        let mut grace = pin!(tokio::time::sleep(LONGEST_TIMEOUT));
        let first_overdue = async {
            let arrived = tokio::select! {
                arrived = requests.wait_for(|requests| requests.received > 0) => arrived.is_ok(),
                () = self.first_head_due.as_mut() => false,
            };
            if arrived {
                std::future::pending::<()>().await;
            }
        };
        let mut first_overdue = pin!(first_overdue);
        let went_idle = async {
            if close_idle {
                idle_for(&mut self.requests, timeout).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        let mut went_idle = pin!(went_idle);
        // Polled only when the stop comes, not at each request's wake-up.
        let stop = pin!(stopped(&mut self.stopping));
        let mut stop = WhenWoken::new(stop);
        let mut closing = false;
        loop {
            tokio::select! {
                // The connection first, the rest in order: they are rare
                // events, so fairness among them buys nothing, and the
                // random start would cost each request's wake-up.
                biased;
                result = connection.as_mut() => return result,
                () = first_overdue.as_mut() => {
                    log_head_overdue(self.config, remote);
                    return Ok(());
                }
                () = &mut stop, if !closing => {
                    closing = true;
                    if has_received(&received) {
                        connection.as_mut().graceful_shutdown();
                    } else {
                        stop_after_first = true;
                        grace.as_mut().reset(tokio::time::Instant::now() + SHUTDOWN_GRACE);
                    }
                }
                () = grace.as_mut(), if stop_after_first => {
                    tracing::debug!("{remote}: closed at shutdown, no request within {SHUTDOWN_GRACE:?}");
                    return Ok(());
                }
                () = first_request(&mut arrivals), if stop_after_first => {
                    stop_after_first = false;
                    connection.as_mut().graceful_shutdown();
                }
                () = went_idle.as_mut(), if !closing => {
                    tracing::debug!("{remote}: closed, idle for {timeout:?}");
                    connection.as_mut().graceful_shutdown();
                    return match tokio::time::timeout(timeout, connection.as_mut()).await {
                        Ok(result) => result,
                        Err(_) => Ok(()),
                    };
                }
            }
        }
    }
}

/// Whether the connection has received a request (the borrow kept out of
/// the connection's future, which must stay `Send`).
fn has_received(requests: &watch::Receiver<Requests>) -> bool {
    requests.borrow().received > 0
}

/// Completes once the connection has received a request (or is gone).
async fn first_request(requests: &mut watch::Receiver<Requests>) {
    let _ = requests.wait_for(|requests| requests.received > 0).await;
}

/// Completes when the server starts shutting down (or is gone).
async fn stopped(stopping: &mut watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stopping| *stopping).await;
}

/// Completes once the connection has served a request and then had none
/// in flight for `timeout`.
async fn idle_for(requests: &mut watch::Receiver<Requests>, timeout: Duration) {
    loop {
        let idle = requests
            .wait_for(|requests| requests.received > 0 && requests.in_flight == 0)
            .await
            .is_ok();
        if !idle {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(timeout) => return,
            changed = requests.changed() => if changed.is_err() { return },
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
