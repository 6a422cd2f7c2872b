//! The HTTP server: accepting connections, HTTP/1.1 and HTTP/2 (cleartext),
//! request limits, graceful shutdown.

mod sniff;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

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

use crate::app::{App, AppInner};
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
        tokio::pin!(signal);
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, remote)) => {
                        let app = Arc::clone(&app);
                        let graceful = graceful.watcher();
                        let stopping = stopping.clone();
                        tokio::spawn(serve_connection(app, stream, remote, graceful, stopping));
                    }
                    Err(error) => {
                        // Out of file descriptors, say: keep serving the
                        // connections we have, try again shortly.
                        tracing::error!("accept failed: {error}; retrying in 100 ms");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                () = &mut signal => break,
            }
        }
        drop(listener);
        let _ = stopping_tx.send(true);
        let deadline = app.config.shutdown_timeout;
        tracing::info!("shutting down: waiting up to {deadline:?} for in-flight requests");
        if tokio::time::timeout(deadline, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("shutdown deadline passed; closing the remaining connections");
        }
    }
}

/// The address an example or small app should serve on: the first
/// command-line argument if there is one, else `127.0.0.1:$PORT`, else
/// `127.0.0.1:5000` (Flask's default).
///
/// ```no_run
/// # #[tokio::main] async fn main() -> Result<(), phial::Error> {
/// phial::App::new().run(&phial::default_address()).await
/// # }
/// ```
pub fn default_address() -> String {
    std::env::args().nth(1).unwrap_or_else(|| {
        let port = std::env::var("PORT").unwrap_or_else(|_| "5000".to_owned());
        format!("127.0.0.1:{port}")
    })
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
    // Fails when the application installed its own subscriber: keep theirs.
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

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
                .header_read_timeout(config.header_read_timeout)
                .max_headers(config.max_headers)
                .max_header_size(config.max_header_size)
                .keep_alive(true);
            graceful.watch(builder.serve_connection(io, service)).await
        }
        sniff::Protocol::Http2 => {
            let mut builder = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
            builder
                .timer(TokioTimer::new())
                .max_header_list_size(config.max_header_size as u32)
                .keep_alive_interval(Some(Duration::from_secs(60)));
            graceful.watch(builder.serve_connection(io, service)).await
        }
    };
    if let Err(error) = result {
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
    let config = &app.config;
    let (parts, body) = request.into_parts();
    if parts.version == Version::HTTP_11 && parts.headers.get_all(HOST).iter().count() != 1 {
        tracing::info!("{remote}: 400, HTTP/1.1 request without exactly one Host header");
        return refuse(StatusCode::BAD_REQUEST);
    }
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > config.max_body_size as u64) {
        tracing::info!(
            "{remote}: 413, Content-Length over the {} byte limit",
            config.max_body_size
        );
        return refuse(StatusCode::PAYLOAD_TOO_LARGE);
    }
    let body = if hyper::body::Body::is_end_stream(&body) {
        Bytes::new()
    } else {
        let read = Limited::new(body, config.max_body_size).collect();
        match tokio::time::timeout(config.body_read_timeout, read).await {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
                tracing::info!(
                    "{remote}: 413, body over the {} byte limit",
                    config.max_body_size
                );
                return refuse(StatusCode::PAYLOAD_TOO_LARGE);
            }
            Ok(Err(error)) => {
                tracing::info!("{remote}: 400, the body could not be read: {error}");
                return refuse(StatusCode::BAD_REQUEST);
            }
            Err(_) => {
                tracing::info!(
                    "{remote}: 408, body not received within {:?}",
                    config.body_read_timeout
                );
                return refuse(StatusCode::REQUEST_TIMEOUT);
            }
        }
    };
    dispatch::handle(app, parts, body, remote).await
}

/// An error page that also closes the connection: after a refused request
/// the rest of what the client sends can't be trusted to be a new request.
fn refuse(status: StatusCode) -> http::Response<Body> {
    let mut response = error_page(status).into_http().unwrap_or_default();
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}
