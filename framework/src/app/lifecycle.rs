//! Start-up and shutdown hooks: async work the server does before it
//! accepts its first connection (open a pool, warm a cache) and after its
//! graceful shutdown (flush, close).

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;

use crate::{App, BoxError, Error};

use crate::app::application::{ShutdownHook, StartupHook};

impl App {
    /// Runs `hook` when the server starts ([`run`](Self::run),
    /// [`serve`](Self::serve), [`serve_with_shutdown`](Self::serve_with_shutdown)),
    /// before it accepts a connection: open a database pool, check a
    /// service is up, warm a cache. Hooks run one after the other, in
    /// registration order, each given the app (to read its
    /// [config](Self::config)).
    ///
    /// If one returns an error or panics, the later ones don't run, nothing
    /// is served, no shutdown hook runs, and `run` or `serve` returns an
    /// error ([`is_startup`](Error::is_startup)) carrying the hook's
    /// (`serve_with_shutdown` logs it and returns).
    ///
    /// The [test client](Self::test_client) runs no start-up or shutdown
    /// hook: a test that needs them calls
    /// [`run_startup_hooks`](Self::run_startup_hooks) and
    /// [`run_shutdown_hooks`](Self::run_shutdown_hooks) itself.
    ///
    /// ```no_run
    /// use std::sync::{Arc, OnceLock};
    /// use phial::prelude::*;
    ///
    /// # struct Pool;
    /// # impl Pool { async fn connect(_: &str) -> Result<Pool, std::io::Error> { Ok(Pool) } }
    /// #[tokio::main]
    /// async fn main() -> Result<(), phial::Error> {
    ///     let pool: Arc<OnceLock<Pool>> = Arc::default();
    ///     let for_startup = Arc::clone(&pool);
    ///     App::new()
    ///         .on_startup(move |app| {
    ///             let pool = Arc::clone(&for_startup);
    ///             async move {
    ///                 let url: String = app.config().get("DATABASE_URL")?;
    ///                 let _ = pool.set(Pool::connect(&url).await?);
    ///                 Ok(())
    ///             }
    ///         })
    ///         .run("127.0.0.1:5000")
    ///         .await
    /// }
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn on_startup<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn(App) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        let hook: StartupHook = Arc::new(move |app| Box::pin(hook(app)));
        self.inner_mut().startup.push(hook);
        self
    }

    /// Runs `hook` when the server has shut down gracefully (after Ctrl-C,
    /// SIGTERM or [`serve_with_shutdown`](Self::serve_with_shutdown)'s
    /// signal, once the in-flight requests are answered or the
    /// [shutdown timeout](Self::shutdown_timeout) passed), before `run` or
    /// `serve` returns: flush a buffer, close a pool. Hooks run one after
    /// the other, in reverse registration order (the last opened closes
    /// first); one that panics is logged and the next one runs. They run
    /// only if the start-up hooks succeeded. Their time is not bounded
    /// (the shutdown timeout has passed by then): a hook that may hang
    /// wraps its work in a [`tokio::time::timeout`].
    ///
    /// ```
    /// use phial::App;
    ///
    /// let app = App::new().on_shutdown(|_app| async {
    ///     eprintln!("flushing the metrics");
    /// });
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn on_shutdown<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn(App) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let hook: ShutdownHook = Arc::new(move |app| Box::pin(hook(app)));
        self.inner_mut().shutdown.push(hook);
        self
    }

    /// Runs the [start-up hooks](Self::on_startup), as the server does
    /// before it accepts: for a test driving the app with the
    /// [test client](Self::test_client).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let app = phial::App::new().on_startup(|_app| async { Err("no database".into()) });
    /// let error = app.run_startup_hooks().await.unwrap_err();
    /// assert!(error.is_startup());
    /// assert_eq!(error.to_string(), "start-up hook failed: no database");
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// The first hook's error or panic; the later hooks don't run.
    pub async fn run_startup_hooks(&self) -> Result<(), Error> {
        for hook in &self.inner.startup {
            match AssertUnwindSafe(hook(self.clone())).catch_unwind().await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => return Err(Error::startup(error)),
                Err(panic) => {
                    let message = format!("a start-up hook panicked: {}", panic_message(&*panic));
                    return Err(Error::startup(message.into()));
                }
            }
        }
        Ok(())
    }

    /// Runs the [shutdown hooks](Self::on_shutdown), as the server does
    /// after its graceful shutdown: for a test driving the app with the
    /// [test client](Self::test_client).
    pub async fn run_shutdown_hooks(&self) {
        for hook in self.inner.shutdown.iter().rev() {
            if let Err(panic) = AssertUnwindSafe(hook(self.clone())).catch_unwind().await {
                tracing::error!("a shutdown hook panicked: {}", panic_message(&*panic));
            }
        }
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
