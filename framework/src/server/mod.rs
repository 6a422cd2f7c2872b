//! The HTTP server: accepting connections, HTTP/1.1 and HTTP/2 (cleartext),
//! request limits, graceful shutdown.

mod connection;
mod request;
mod signals;
mod sniff;
mod watched;

use std::future::Future;
#[cfg(feature = "logging")]
use std::io::IsTerminal;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinError, JoinSet};

use crate::app::App;
use crate::Error;

/// Timeouts are added to `Instant::now()`, which panics on overflow (in
/// hyper and tokio): a timeout meant as "never" is capped to a year.
const LONGEST_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

impl App {
    /// Serves the app on `addr` (such as `"127.0.0.1:5000"`) until Ctrl-C or
    /// SIGTERM, then shuts down gracefully: it stops accepting, closes idle
    /// connections, lets in-flight requests finish (up to the [shutdown
    /// timeout](App::shutdown_timeout)) and returns `Ok(())`. A second
    /// Ctrl-C or SIGTERM while it waits closes the remaining connections at
    /// once.
    ///
    /// It prints a banner like Flask's and, with the `logging` feature (on
    /// by default) and unless a `tracing` subscriber is already installed,
    /// logs each request to stdout (filter with
    /// `RUST_LOG` by level and target, as in `RUST_LOG=warn` or
    /// `RUST_LOG=info,phial::access=off`).
    ///
    /// # Errors
    ///
    /// If a handler takes what the app doesn't provide (state never
    /// registered: [`Error::is_setup`]), checked before anything is bound;
    /// if the address doesn't parse or can't be bound.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), phial::Error> {
    /// phial::App::new().run("127.0.0.1:5000").await
    /// # }
    /// ```
    pub async fn run(self, addr: &str) -> Result<(), Error> {
        self.running(addr).await
    }

    /// [`run`](Self::run)'s work, boxed here (see [`BoxFuture`]).
    fn running(self, addr: &str) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            self.inner.check_start().map_err(Error::setup)?;
            init_logging();
            let listener = TcpListener::bind(addr).await.map_err(Error::io)?;
            let local = listener.local_addr().map_err(Error::io)?;
            eprintln!(" * Running on http://{local}\nPress CTRL+C to quit");
            self.serving(listener).await
        })
    }

    /// Serves the app on `listener` until Ctrl-C or SIGTERM, then shuts down
    /// gracefully as [`run`](App::run) does (a second signal cuts the wait
    /// short). Bind port 0 to let the system pick a free port (handy in
    /// tests).
    ///
    /// # Errors
    ///
    /// If a handler takes what the app doesn't provide (see
    /// [`run`](App::run)), or the signal handlers can't be installed.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), phial::Error> {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// println!("listening on {}", listener.local_addr().unwrap());
    /// phial::App::new().serve(listener).await
    /// # }
    /// ```
    pub async fn serve(self, listener: TcpListener) -> Result<(), Error> {
        self.serving(listener).await
    }

    /// [`serve`](Self::serve)'s work, boxed here (see [`BoxFuture`]).
    fn serving(self, listener: TcpListener) -> BoxFuture<'static, Result<(), Error>> {
        Box::pin(async move {
            self.inner.check_start().map_err(Error::setup)?;
            let signals = signals::ShutdownSignals::install()?;
            self.serve_until(listener, signals.received(1), signals.received(2))
                .await;
            Ok(())
        })
    }

    /// Serves the app on `listener` until `signal` completes, then shuts
    /// down gracefully.
    ///
    /// # Panics
    ///
    /// If a handler takes what the app doesn't provide (state never
    /// registered), before serving anything; the message is the one
    /// [`run`](App::run) returns.
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
        self.serving_until(listener, Box::pin(signal)).await;
    }

    /// [`serve_with_shutdown`](Self::serve_with_shutdown)'s work, boxed
    /// here (see [`BoxFuture`]).
    fn serving_until<'a>(
        self,
        listener: TcpListener,
        signal: BoxFuture<'a, ()>,
    ) -> BoxFuture<'a, ()> {
        if let Err(problems) = self.inner.check_start() {
            panic!("{}", Error::setup(problems));
        }
        Box::pin(self.serve_until(listener, signal, std::future::pending()))
    }

    /// Serves until `signal`, then drains the connections until they are
    /// done, the shutdown timeout passes, or `force` completes.
    async fn serve_until(
        self,
        listener: TcpListener,
        signal: impl Future<Output = ()> + Send,
        force: impl Future<Output = ()> + Send,
    ) {
        let app = self.inner;
        app.sessions.keys.announce_at_startup();
        let (stopping_tx, stopping) = watch::channel(false);
        let mut connections = JoinSet::new();
        let mut accept_failures = AcceptFailures::default();
        tokio::pin!(signal);
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, remote)) => {
                        accept_failures.recovered();
                        let app = Arc::clone(&app);
                        let stopping = stopping.clone();
                        connections.spawn(connection::serve_connection(app, stream, remote, stopping));
                    }
                    // A client that gave up before the accept: not our
                    // problem.
                    Err(error) if is_connection_error(&error) => {
                        tracing::debug!("accept failed: {error}");
                    }
                    Err(error) => {
                        // Out of file descriptors, say: keep serving the
                        // connections we have, try again shortly (the
                        // waiting client stays in the listen backlog).
                        accept_failures.failed(&error);
                        tokio::time::sleep(ACCEPT_RETRY).await;
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
        // Each connection closes once its in-flight requests are answered.
        let cut_short = tokio::select! {
            () = async {
                while let Some(ended) = connections.join_next().await {
                    log_task_end(ended);
                }
            } => None,
            () = tokio::time::sleep(deadline) => Some("shutdown deadline passed"),
            () = force => Some("second shutdown signal"),
        };
        if let Some(reason) = cut_short {
            tracing::warn!(
                "{reason}; closing {} remaining connection(s)",
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

/// The server's future behind a pointer, made in a plain (not generic, not
/// `async`) function of phial's: its code is then compiled once, in phial.
/// An `async fn`'s body is compiled in the crate that polls it, so without
/// this every app compiled the whole server again (hyper's connections,
/// dispatch): most of an app's release build, redone on every edit.
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How long the accept loop waits after a failure that is not the client's
/// doing: long enough not to spin while out of file descriptors.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// How often a run of accept failures is logged while it lasts.
const ACCEPT_FAILURE_LOG_INTERVAL: Duration = Duration::from_secs(10);

/// Logs a run of accept failures (running out of file descriptors, say)
/// without flooding the log: the first failure, then a count every
/// [`ACCEPT_FAILURE_LOG_INTERVAL`], then the recovery.
#[derive(Debug, Default)]
struct AcceptFailures {
    /// When the run started and was last logged, and the failures since.
    run: Option<(Instant, Instant, u64)>,
}

impl AcceptFailures {
    fn failed(&mut self, error: &std::io::Error) {
        let now = Instant::now();
        match &mut self.run {
            None => {
                tracing::error!(
                    "accept failed: {error}; serving the open connections, retrying every {ACCEPT_RETRY:?}"
                );
                self.run = Some((now, now, 0));
            }
            Some((_, logged, since)) => {
                *since += 1;
                if now.duration_since(*logged) >= ACCEPT_FAILURE_LOG_INTERVAL {
                    tracing::error!("accept still failing: {error} ({since} more failures)");
                    *logged = now;
                    *since = 0;
                }
            }
        }
    }

    fn recovered(&mut self) {
        if let Some((started, _, _)) = self.run.take() {
            tracing::info!(
                "accepting connections again after {:?} of failures",
                started.elapsed()
            );
        }
    }
}

fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    )
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

/// Without the `logging` feature: no subscriber of phial's, so one line
/// on stderr when the app installed none either, lest its log go nowhere
/// unnoticed.
#[cfg(not(feature = "logging"))]
fn init_logging() {
    if !tracing::dispatcher::has_been_set() {
        eprintln!(
            " * No log subscriber: phial's `logging` feature is off; install a \
             tracing subscriber to see the access log and errors"
        );
    }
}

/// Installs the log subscriber, unless the app installed its own.
#[cfg(feature = "logging")]
fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // `RUST_LOG` directives by level and target (`warn`, `info,phial=debug`):
    // tracing-subscriber's `Targets`, which needs no regex engine (its
    // `EnvFilter` compiles one in: a tenth of a clean build's crates).
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO));
    // Colours only for a person watching: not in a pipe or a log file.
    let ansi = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Fails when the application installed its own subscriber: keep theirs.
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_ansi(ansi))
        .with(filter)
        .try_init();
}
