//! The application: its routes and settings, built once, shared by every
//! connection.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::blueprint::Registered;
use crate::cookies::CookieRegistry;
use crate::endpoint::Endpoint;
use crate::hooks::Hooks;
use crate::routing::router::{Mount, Router};
use crate::routing::url::Urls;
use crate::static_files::StaticFiles;
#[cfg(feature = "templates")]
use crate::templates::{self, Templates};

/// A phial application: register routes, then [`run`](App::run) it, serve it
/// on a listener, or drive it with a [`test_client`](App::test_client).
///
/// ```no_run
/// use phial::prelude::*;
///
/// #[route("/")]
/// fn index() -> &'static str {
///     "Hello, World!"
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), phial::Error> {
///     App::new().route(index).run("127.0.0.1:5000").await
/// }
/// ```
#[derive(Clone)]
pub struct App {
    pub(crate) inner: Arc<AppInner>,
}

#[derive(Clone)]
pub(crate) struct AppInner {
    pub(crate) router: Router,
    pub(crate) config: Config,
    pub(crate) panics: Arc<AtomicU64>,
    #[cfg(feature = "templates")]
    pub(crate) templates: Arc<Templates>,
    /// Each endpoint's pattern by name and each handler's prefix, for
    /// `url_for` in templates and `url_for!`.
    pub(crate) urls: Arc<Urls>,
    pub(crate) static_files: Option<StaticFiles>,
    /// The static folders of blueprints, each at its own URL path.
    pub(crate) blueprint_static_files: Vec<StaticFiles>,
    /// The registered blueprints, by index (a route knows its blueprint's).
    pub(crate) blueprints: Vec<Registered>,
    pub(crate) hooks: Hooks,
    pub(crate) cookies: Arc<CookieRegistry>,
    pub(crate) sessions: Arc<crate::session::SessionSettings>,
    /// The commands the app added to its command line.
    #[cfg(feature = "cli")]
    pub(crate) commands: Vec<crate::cli::AppCommand>,
}

impl AppInner {
    /// Adds `endpoint` where `mount` says, and records its URL.
    pub(crate) fn add_route(&mut self, endpoint: Arc<dyn Endpoint>, mount: Mount<'_>) {
        let handler = endpoint.__type_id();
        let route = self.router.add(endpoint, mount);
        Arc::make_mut(&mut self.urls).insert(
            route.name(),
            route.pattern(),
            handler,
            mount.url_prefix,
        );
    }
}

/// Limits and timeouts, with defaults that protect a server nobody tuned.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) max_body_size: usize,
    pub(crate) max_header_size: usize,
    pub(crate) max_headers: usize,
    pub(crate) max_query_params: usize,
    pub(crate) header_read_timeout: Duration,
    pub(crate) body_read_timeout: Duration,
    pub(crate) write_timeout: Duration,
    pub(crate) shutdown_timeout: Duration,
    pub(crate) debug: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            max_body_size: 16 * 1024 * 1024,
            max_header_size: 80 * 1024,
            max_headers: 100,
            max_query_params: 1000,
            header_read_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(30),
            shutdown_timeout: Duration::from_secs(30),
            debug: false,
        }
    }
}

impl Default for App {
    fn default() -> Self {
        Self::new()
    }
}

impl App {
    /// An app with no routes and the default limits.
    pub fn new() -> Self {
        let app = Self {
            inner: Arc::new(AppInner {
                router: Router::default(),
                config: Config::default(),
                panics: Arc::new(AtomicU64::new(0)),
                #[cfg(feature = "templates")]
                templates: templates::shared(templates::default_folder(), false),
                urls: Arc::default(),
                static_files: Some(StaticFiles::default_config()),
                blueprint_static_files: Vec::new(),
                blueprints: Vec::new(),
                hooks: Hooks::default(),
                cookies: Arc::default(),
                sessions: Arc::new(crate::session::SessionSettings::from_environment()),
                #[cfg(feature = "cli")]
                commands: Vec::new(),
            }),
        };
        if crate::debug::from_environment() {
            app.debug(true)
        } else {
            app
        }
    }

    pub(crate) fn inner_mut(&mut self) -> &mut AppInner {
        Arc::make_mut(&mut self.inner)
    }

    /// Registers a handler made by `#[route]` (or `#[get]`, `#[post]`, ...).
    ///
    /// # Panics
    ///
    /// If another registered route has the same pattern and shares a method
    /// with this one: the message names both handlers.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[get("/")]
    /// fn index() -> &'static str { "index" }
    ///
    /// #[post("/")]
    /// fn create() -> &'static str { "created" }
    ///
    /// let app = App::new().route(index).route(create);
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn route(mut self, endpoint: impl Endpoint) -> Self {
        self.add_route(Arc::new(endpoint));
        self
    }

    fn add_route(&mut self, endpoint: Arc<dyn Endpoint>) {
        self.inner_mut().add_route(endpoint, Mount::default());
    }

    /// Registers several handlers at once; see [`routes!`](crate::routes).
    ///
    /// # Panics
    ///
    /// As [`route`](Self::route).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn routes(mut self, endpoints: impl IntoIterator<Item = Arc<dyn Endpoint>>) -> Self {
        for endpoint in endpoints {
            self.add_route(endpoint);
        }
        self
    }

    /// The largest request body accepted, in bytes (default 16 MiB). A
    /// larger one is answered `413 Payload Too Large` before the handler runs.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.inner_mut().config.max_body_size = bytes;
        self
    }

    /// The largest request head (request line and headers) accepted over
    /// HTTP/1.1, in bytes (default 80 KiB); a larger one is answered `431`.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_header_size(mut self, bytes: usize) -> Self {
        self.inner_mut().config.max_header_size = bytes;
        self
    }

    /// The most header fields an HTTP/1 request may have (default 100, as
    /// hyper's); a request with more is answered `431`. HTTP/2 requests are
    /// bounded by [`max_header_size`](Self::max_header_size) alone.
    ///
    /// ```
    /// let app = phial::App::new().max_headers(200);
    /// # drop(app);
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_headers(mut self, count: usize) -> Self {
        self.inner_mut().config.max_headers = count;
        self
    }

    /// How long a client may take to send a request's headers, counted from
    /// the connection's start or the previous response (default 30 s). A
    /// client that connects and sends nothing is closed when it runs out, as
    /// is a keep-alive connection idle for that long, and an HTTP/2
    /// connection with no request in flight for that long (with `GOAWAY`).
    /// A client still sending its headers then is closed without an answer.
    ///
    /// It doesn't limit how long a handler may take.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().config.header_read_timeout = timeout;
        self
    }

    /// The most query parameters (`?a=1&b=2` has two) a request may carry
    /// (default 1000, as Werkzeug's form-parts limit). A request with more
    /// is answered `400 Bad Request` before any hook or handler runs, and
    /// logged; counting stops at the limit, so a huge query costs no more
    /// than a short one to refuse.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_query_params(mut self, count: usize) -> Self {
        self.inner_mut().config.max_query_params = count;
        self
    }

    /// How long a client may take to send a whole request body (default
    /// 60 s), counted from the end of its headers; past it the request is
    /// answered `408 Request Timeout` and the connection closed. It is a
    /// deadline for the whole body, not for each read: a client dripping
    /// one byte a second is cut off at it all the same.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().config.body_read_timeout = timeout;
        self
    }

    /// How long a write to a client may make no progress (default 30 s):
    /// a client that stops reading a response (a large page, a download)
    /// is closed when it runs out, with the rest of the response unsent.
    /// Each write that gets through starts the clock again, so a slow but
    /// steady reader is served to the end.
    ///
    /// Over HTTP/2, flow control holds back a response the client doesn't
    /// read before the socket fills: once its handler has answered, such a
    /// connection is closed as idle (see
    /// [`header_read_timeout`](Self::header_read_timeout)).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().config.write_timeout = timeout;
        self
    }

    /// How long a graceful shutdown waits for in-flight requests before it
    /// closes their connections (default 30 s).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().config.shutdown_timeout = timeout;
        self
    }

    /// The folder [`render_template`](crate::render_template) loads from
    /// (default `templates` in the working directory). Templates load on
    /// first use and are cached.
    #[cfg(feature = "templates")]
    #[cfg_attr(docsrs, doc(cfg(feature = "templates")))]
    #[must_use = "the app does nothing until it is run or served"]
    pub fn template_folder(mut self, folder: impl Into<std::path::PathBuf>) -> Self {
        let inner = self.inner_mut();
        inner.templates = inner.templates.with_app_folder(folder.into());
        self
    }

    /// The folder served at the static URL path (default `static` in the
    /// working directory, served at `/static/<path:filename>`). Routes of
    /// your own under that prefix take precedence.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn static_folder(mut self, folder: impl Into<std::path::PathBuf>) -> Self {
        let folder = folder.into();
        let inner = self.inner_mut();
        let config = inner
            .static_files
            .get_or_insert_with(StaticFiles::default_config);
        config.folder = folder;
        self
    }

    /// The URL prefix of static files (default `/static`).
    ///
    /// # Panics
    ///
    /// If `url_path` does not start with `/`.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn static_url_path(mut self, url_path: &str) -> Self {
        assert!(
            url_path.starts_with('/'),
            "static_url_path must start with `/`, as in \"/assets\" (got {url_path:?})"
        );
        let inner = self.inner_mut();
        let config = inner
            .static_files
            .get_or_insert_with(StaticFiles::default_config);
        config.url_path = url_path.trim_end_matches('/').to_owned();
        self
    }

    /// Serves no static files (Flask's `static_folder=None`).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn without_static_files(mut self) -> Self {
        self.inner_mut().static_files = None;
        self
    }

    /// Turns debug mode on or off (off by default; `PHIAL_DEBUG=1` turns it
    /// on). In debug mode a panic's 500 page shows the panic message, where
    /// it happened, a backtrace and the request (method, path, headers,
    /// cookies), and templates reload when their files change.
    ///
    /// Never enable it on a server others can reach: the page shows
    /// everything the request carried, cookies included.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn debug(mut self, debug: bool) -> Self {
        if debug {
            crate::debug::install_panic_hook();
        }
        let inner = self.inner_mut();
        inner.config.debug = debug;
        #[cfg(feature = "templates")]
        {
            inner.templates = inner.templates.with_reload(debug);
        }
        self
    }

    /// How many handlers have panicked since the app started (each panic was
    /// answered `500` and logged).
    pub fn panic_count(&self) -> u64 {
        self.inner.panics.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let routes: Vec<_> = self
            .inner
            .router
            .routes()
            .map(|route| {
                format!(
                    "{} {} -> {}",
                    route.methods.to_allow_header(),
                    route.pattern(),
                    route.name()
                )
            })
            .collect();
        f.debug_struct("App")
            .field("routes", &routes)
            .field("config", &self.inner.config)
            .finish()
    }
}
