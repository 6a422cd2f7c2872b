//! The HTTP server: accepting connections, HTTP/1.1 and HTTP/2 (cleartext),
//! request limits, graceful shutdown.

mod sniff;

use std::convert::Infallible;
use std::future::Future;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CONNECTION, CONTENT_LENGTH, HOST};
use http::{HeaderValue, StatusCode, Version};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinError, JoinSet};

use crate::app::{App, AppInner, Config};
use crate::response::{error_page, Body};
use crate::{dispatch, Error};

impl App {
    /// Serves the app on `addr` (such as `"127.0.0.1:5000"`) until Ctrl-C or
    /// SIGTERM, then shuts down gracefully: it stops accepting, lets
    /// in-flight requests finish (up to the [shutdown
    /// timeout](App::shutdown_timeout)) and returns `Ok(())`.
    ///
    /// It prints a banner like Flask's and, unless a `tracing` subscriber is
    /// already installed, logs each request to stdout (filter with
    /// `RUST_LOG`, as in `RUST_LOG=warn`).
    ///
    /// # Errors
    ///
    /// If the address doesn't parse or can't be bound.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), phial::Error> {
    /// phial::App::new().run("127.0.0.1:5000").await
    /// # }
    /// ```
    pub async fn run(self, addr: &str) -> Result<(), Error> {
        init_logging();
        let listener = TcpListener::bind(addr).await.map_err(Error::io)?;
        let local = listener.local_addr().map_err(Error::io)?;
        eprintln!(" * Running on http://{local}\nPress CTRL+C to quit");
        self.serve(listener).await
    }

    /// Serves the app on `listener` until Ctrl-C or SIGTERM, then shuts down
    /// gracefully as [`run`](App::run) does. Bind port 0 to let the system
    /// pick a free port (handy in tests).
    ///
    /// # Errors
    ///
    /// If the signal handlers can't be installed.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), phial::Error> {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// println!("listening on {}", listener.local_addr().unwrap());
    /// phial::App::new().serve(listener).await
    /// # }
    /// ```
    pub async fn serve(self, listener: TcpListener) -> Result<(), Error> {
        let signal = shutdown_signal()?;
        self.serve_with_shutdown(listener, signal).await;
        Ok(())
    }

    /// Serves the app on `listener` until `signal` completes, then shuts
    /// down gracefully.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    /// let server = tokio::spawn(phial::App::new().serve_with_shutdown(listener, async {
    ///     stopped.await.ok();
    /// }));
    /// stop.send(()).unwrap();
    /// server.await.unwrap();
    /// # }
    /// ```
    pub async fn serve_with_shutdown(
        self,
        listener: TcpListener,
        signal: impl Future<Output = ()> + Send,
    ) {
        let app = self.inner;
        let graceful = GracefulShutdown::new();
        let (stopping_tx, stopping) = watch::channel(false);
        let mut connections = JoinSet::new();
        tokio::pin!(signal);
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, remote)) => {
                        let app = Arc::clone(&app);
                        let graceful = graceful.watcher();
                        let stopping = stopping.clone();
                        connections.spawn(serve_connection(app, stream, remote, graceful, stopping));
                    }
                    Err(error) => {
                        // Out of file descriptors, say: keep serving the
                        // connections we have, try again shortly.
                        tracing::error!("accept failed: {error}; retrying in 100 ms");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                Some(ended) = connections.join_next() => log_task_end(ended),
                () = &mut signal => break,
            }
        }
        drop(listener);
        let _ = stopping_tx.send(true);
        let deadline = app.config.shutdown_timeout;
        tracing::info!("shutting down: waiting up to {deadline:?} for in-flight requests");
        let drained = async {
            graceful.shutdown().await;
            while let Some(ended) = connections.join_next().await {
                log_task_end(ended);
            }
        };
        if tokio::time::timeout(deadline, drained).await.is_err() {
            tracing::warn!(
                "shutdown deadline passed; closing {} remaining connection(s)",
                connections.len()
            );
            // Dropping a connection's task closes its socket: the handler's
            // future is dropped with it.
            connections.abort_all();
            while let Some(ended) = connections.join_next().await {
                log_task_end(ended);
            }
        }
    }
}

/// Logs a connection task that panicked (a bug in phial or hyper: the
/// handler's own panics are caught and answered 500 before this).
fn log_task_end(ended: Result<(), JoinError>) {
    if let Err(error) = ended {
        if error.is_panic() {
            tracing::error!("a connection task panicked: {error}");
        }
    }
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
fn shutdown_signal() -> Result<impl Future<Output = ()> + Send, Error> {
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(Error::io)?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    })
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a person watching: not in a pipe or a log file.
    let ansi = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Fails when the application installed its own subscriber: keep theirs.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .try_init();
}

/// hyper adds the header-read timeout to `Instant::now()`, which panics on
/// overflow: a timeout meant as "never" is capped to a year.
const LONGEST_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

type GracefulWatcher = hyper_util::server::graceful::Watcher;

async fn serve_connection(
    app: Arc<AppInner>,
    stream: TcpStream,
    remote: SocketAddr,
    graceful: GracefulWatcher,
    mut stopping: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let config = &app.config;
    let sniffed = tokio::select! {
        sniffed = tokio::time::timeout(config.header_read_timeout, sniff::sniff(stream)) => sniffed,
        _ = stopping.wait_for(|stopping| *stopping) => return,
    };
    let (protocol, stream) = match sniffed {
        Ok(Ok(Some(sniffed))) => sniffed,
        Ok(Ok(None)) => return,
        Ok(Err(error)) => {
            tracing::debug!("{remote}: read failed: {error}");
            return;
        }
        Err(_) => {
            tracing::info!(
                "{remote}: closed, sent no request within {:?}",
                config.header_read_timeout
            );
            return;
        }
    };
    let io = TokioIo::new(stream);
    let service_app = Arc::clone(&app);
    let service = service_fn(move |request| {
        let app = Arc::clone(&service_app);
        async move { Ok::<_, Infallible>(serve_request(&app, request, remote).await) }
    });
    let result = match protocol {
        sniff::Protocol::Http1 => {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(config.header_read_timeout.min(LONGEST_TIMEOUT))
                .max_headers(config.max_headers)
                .max_header_size(config.max_header_size)
                .keep_alive(true);
            graceful.watch(builder.serve_connection(io, service)).await
        }
        sniff::Protocol::Http2 => {
            let mut builder = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
            builder
                .timer(TokioTimer::new())
                .max_header_list_size(u32::try_from(config.max_header_size).unwrap_or(u32::MAX))
                .keep_alive_interval(Some(Duration::from_secs(60)));
            graceful.watch(builder.serve_connection(io, service)).await
        }
    };
    if let Err(error) = result {
        log_connection_error(config, remote, &error);
    }
}

/// hyper answers a malformed or oversized request head itself (400, 414,
/// 431) and closes a connection whose head doesn't arrive in time (no
/// answer): say so in the log, as for the refusals phial makes.
fn log_connection_error(config: &Config, remote: SocketAddr, error: &hyper::Error) {
    if error.is_timeout() {
        tracing::info!(
            "{remote}: closed, headers not received within {:?}",
            config.header_read_timeout
        );
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

/// Checks the request head, reads the body within the limits, then
/// dispatches.
async fn serve_request(
    app: &AppInner,
    request: http::Request<Incoming>,
    remote: SocketAddr,
) -> http::Response<Body> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    match read_body(&app.config, &parts, body, remote).await {
        Ok(body) => dispatch::handle(app, parts, body, remote).await,
        Err(status) => refuse(&parts, remote, started, status),
    }
}

/// The body, read within the limits; or the status that refuses the
/// request (each refusal logged with its reason).
async fn read_body(
    config: &Config,
    parts: &http::request::Parts,
    body: Incoming,
    remote: SocketAddr,
) -> Result<Bytes, StatusCode> {
    if parts.version == Version::HTTP_11 && parts.headers.get_all(HOST).iter().count() != 1 {
        tracing::info!("{remote}: 400, HTTP/1.1 request without exactly one Host header");
        return Err(StatusCode::BAD_REQUEST);
    }
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    // Refused before the body is read, so `Expect: 100-continue` gets no
    // `100 Continue`: hyper sends that on the body's first read.
    if declared.is_some_and(|length| length > config.max_body_size as u64) {
        tracing::info!(
            "{remote}: 413, Content-Length over the {} byte limit",
            config.max_body_size
        );
        return Err(StatusCode::PAYLOAD_TOO_LARGE);
    }
    if hyper::body::Body::is_end_stream(&body) {
        return Ok(Bytes::new());
    }
    let read = Limited::new(body, config.max_body_size).collect();
    match tokio::time::timeout(config.body_read_timeout, read).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            tracing::info!(
                "{remote}: 413, body over the {} byte limit",
                config.max_body_size
            );
            Err(StatusCode::PAYLOAD_TOO_LARGE)
        }
        Ok(Err(error)) => {
            tracing::info!("{remote}: 400, the body could not be read: {error}");
            Err(StatusCode::BAD_REQUEST)
        }
        Err(_) => {
            tracing::info!(
                "{remote}: 408, body not received within {:?}",
                config.body_read_timeout
            );
            Err(StatusCode::REQUEST_TIMEOUT)
        }
    }
}

/// An error page for a refused request, logged as any other request. Over
/// HTTP/1 it also closes the connection: after a refused request the rest
/// of what the client sends can't be trusted to be a new request. (HTTP/2
/// frames each request, and forbids the `Connection` header.)
fn refuse(
    parts: &http::request::Parts,
    remote: SocketAddr,
    started: Instant,
    status: StatusCode,
) -> http::Response<Body> {
    dispatch::log_access(
        remote,
        (&parts.method, &parts.uri, parts.version),
        status,
        started,
    );
    let mut response = error_page(status).into_http().unwrap_or_default();
    if parts.version < Version::HTTP_2 {
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
