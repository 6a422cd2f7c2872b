//! Serving an app: [`App::run`], [`App::serve`] and
//! [`App::serve_with_shutdown`] hand it to the server, with its start-up
//! and shutdown hooks around.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::server::Serve;
use crate::{App, Error};

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
    /// `RUST_LOG=info,phial::access=off`). The log is written from a thread
    /// of its own, in batches (at least every 100 ms), so a request never
    /// waits for stdout; if stdout can't keep up, lines are dropped and the
    /// log says how many. Every line is written out before `run` returns.
    ///
    /// It runs the [start-up hooks](App::on_startup) once the address is
    /// bound, before it accepts, and the [shutdown hooks](App::on_shutdown)
    /// after the graceful shutdown, before it returns.
    ///
    /// # Errors
    ///
    /// If a handler takes what the app doesn't provide (state never
    /// registered: [`Error::is_setup`]), checked before anything is bound;
    /// if the address doesn't parse or can't be bound, or a start-up hook
    /// fails ([`Error::is_startup`]).
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), phial::Error> {
    /// phial::App::new().run("127.0.0.1:5000").await
    /// # }
    /// ```
    pub async fn run(self, addr: &str) -> Result<(), Error> {
        self.with_discovered().running(addr).await
    }

    /// [`run`](Self::run)'s work, boxed here (see [`BoxFuture`]).
    fn running(self, addr: &str) -> BoxFuture<'_, Result<(), Error>> {
        let service = Arc::clone(&self.inner);
        Box::pin(run_service(self, service, addr))
    }

    /// Serves the app on `listener` until Ctrl-C or SIGTERM, then shuts down
    /// gracefully as [`run`](App::run) does (a second signal cuts the wait
    /// short). Bind port 0 to let the system pick a free port (handy in
    /// tests).
    ///
    /// It runs the start-up and shutdown hooks as [`run`](App::run) does.
    ///
    /// # Errors
    ///
    /// If a handler takes what the app doesn't provide (see
    /// [`run`](App::run)), the signal handlers can't be installed, or a
    /// start-up hook fails ([`Error::is_startup`]).
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), phial::Error> {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// println!("listening on {}", listener.local_addr().unwrap());
    /// phial::App::new().serve(listener).await
    /// # }
    /// ```
    pub async fn serve(self, listener: TcpListener) -> Result<(), Error> {
        self.with_discovered().serving(listener).await
    }

    /// [`serve`](Self::serve)'s work, boxed here (see [`BoxFuture`]).
    fn serving(self, listener: TcpListener) -> BoxFuture<'static, Result<(), Error>> {
        let service = Arc::clone(&self.inner);
        Box::pin(serve_service(self, service, listener))
    }

    /// Serves the app on `listener` until `signal` completes, then shuts
    /// down gracefully. It runs the start-up and shutdown hooks as
    /// [`run`](App::run) does; if a start-up hook fails, it logs the error
    /// and returns without serving.
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
        self.with_discovered()
            .serving_until(listener, Box::pin(signal))
            .await;
    }

    /// [`serve_with_shutdown`](Self::serve_with_shutdown)'s work, boxed
    /// here (see [`BoxFuture`]).
    fn serving_until<'a>(
        self,
        listener: TcpListener,
        signal: BoxFuture<'a, ()>,
    ) -> BoxFuture<'a, ()> {
        let service = Arc::clone(&self.inner);
        serve_service_until(self, service, listener, signal)
    }
}

/// [`App::run`]'s work for `app` served as `service` (the app itself, or
/// tower layers around it).
pub(crate) async fn run_service<S: Serve>(
    app: App,
    service: Arc<S>,
    addr: &str,
) -> Result<(), Error> {
    app.inner.check_start().map_err(Error::setup)?;
    crate::server::init_logging();
    #[cfg(all(feature = "reload", unix))]
    if let Some(reloader) = crate::app::reload::Reloader::wanted(app.inner.debug) {
        let supervised = reloader.supervise(addr).await;
        crate::server::flush_log();
        return supervised;
    }
    // A socket passed in (by the reloader, systemd or systemfd) rather
    // than `addr`.
    let listener = match crate::server::inherited_listener().map_err(Error::io)? {
        Some(listener) => listener,
        None => TcpListener::bind(addr).await.map_err(Error::io)?,
    };
    let local = listener.local_addr().map_err(Error::io)?;
    if !is_reloaded() {
        crate::app::banner::print_banner(local, app.inner.debug);
    }
    let served = serve_service(app, service, listener).await;
    // The log's last lines, written from a thread of its own.
    crate::server::flush_log();
    served
}

/// [`App::serve`]'s work for `app` served as `service`.
pub(crate) async fn serve_service<S: Serve>(
    app: App,
    service: Arc<S>,
    listener: TcpListener,
) -> Result<(), Error> {
    app.inner.check_start().map_err(Error::setup)?;
    let signals = crate::server::ShutdownSignals::install()?;
    serve_until(
        app,
        service,
        listener,
        signals.received(1),
        signals.received(2),
    )
    .await
}

/// [`App::serve_with_shutdown`]'s work for `app` served as `service`.
pub(crate) fn serve_service_until<'a, S: Serve>(
    app: App,
    service: Arc<S>,
    listener: TcpListener,
    signal: BoxFuture<'a, ()>,
) -> BoxFuture<'a, ()> {
    if let Err(problems) = app.inner.check_start() {
        panic!("{}", Error::setup(problems));
    }
    Box::pin(async move {
        let served = serve_until(app, service, listener, signal, std::future::pending()).await;
        if let Err(error) = served {
            tracing::error!("not serving: {error}");
        }
    })
}

/// Runs the start-up hooks, serves until `signal`, drains the
/// connections, runs the shutdown hooks.
async fn serve_until<S: Serve>(
    app: App,
    service: Arc<S>,
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send,
    force: impl Future<Output = ()> + Send,
) -> Result<(), Error> {
    warn_if_debug_is_exposed(&app, &listener);
    app.run_startup_hooks().await?;
    crate::server::serve(service, listener, signal, force).await;
    app.run_shutdown_hooks().await;
    Ok(())
}

/// Whether this process is a build the reloader started (its banner was
/// printed by the reloader).
fn is_reloaded() -> bool {
    #[cfg(all(feature = "reload", unix))]
    return crate::app::reload::Reloader::is_child();
    #[cfg(not(all(feature = "reload", unix)))]
    false
}

/// Says loudly when debug mode serves an address other machines can reach
/// (as Werkzeug does): its pages show every request's cookies and where
/// the code failed.
fn warn_if_debug_is_exposed(app: &App, listener: &TcpListener) {
    let Ok(local) = listener.local_addr() else {
        return;
    };
    if app.inner.debug && !local.ip().is_loopback() {
        tracing::warn!(
            "debug mode is on and the server listens on {local}, which other machines can \
             reach: its error pages show requests' cookies and the app's code. Never use \
             debug mode in production; serve on 127.0.0.1, or turn it off"
        );
    }
}

/// The server's future behind a pointer, made in a plain (not generic, not
/// `async`) function of phial's: its code is then compiled once, in phial.
/// An `async fn`'s body is compiled in the crate that polls it, so without
/// this every app compiled the whole server again (hyper's connections,
/// dispatch): most of an app's release build, redone on every edit.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

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
