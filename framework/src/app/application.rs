//! The application: its routes and settings, built once, shared by every
//! connection.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::app::config::{Config, Value};
use crate::app::endpoint::Endpoint;
use crate::app::extract::StateMap;
use crate::app::hooks::Hooks;
use crate::app::hooks::Registered;
use crate::app::routing::router::{Mount, Router};
use crate::http_core::cookies::CookieRegistry;
use crate::http_core::url::Urls;
use crate::server::Limits;
use crate::web::static_files::StaticFiles;
#[cfg(feature = "templates")]
use crate::web::templates::{self, Templates};

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

/// A start-up hook's future, and a start-up or shutdown hook.
type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;
pub(crate) type StartupHook =
    Arc<dyn Fn(App) -> BoxFuture<Result<(), crate::BoxError>> + Send + Sync>;
pub(crate) type ShutdownHook = Arc<dyn Fn(App) -> BoxFuture<()> + Send + Sync>;

#[derive(Clone)]
pub(crate) struct AppInner {
    pub(crate) router: Router,
    /// The limits the server reads on every request, typed.
    pub(crate) limits: Limits,
    /// Debug mode: a panic's page shows what happened, templates reload.
    pub(crate) debug: bool,
    /// The config the app shows ([`App::config`]): the built-in settings
    /// as they are in force, and the app's own keys.
    pub(crate) settings: Config,
    pub(crate) instance_path: PathBuf,
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
    /// Start-up hooks, in registration order (see `lifecycle.rs`).
    pub(crate) startup: Vec<StartupHook>,
    /// Shutdown hooks, in registration order (run in reverse).
    pub(crate) shutdown: Vec<ShutdownHook>,
    pub(crate) cookies: Arc<CookieRegistry>,
    pub(crate) sessions: Arc<crate::web::sessions::SessionSettings>,
    /// Values registered with [`App::state`], for `&State<T>` arguments.
    pub(crate) state: StateMap,
    /// The commands the app added to its command line.
    #[cfg(feature = "cli")]
    pub(crate) commands: Vec<crate::app::cli::AppCommand>,
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

impl Default for App {
    fn default() -> Self {
        Self::new()
    }
}

impl App {
    /// An app with no routes and the default limits. Its
    /// [config](Self::config) holds the [built-in
    /// keys](Self::with_config) with their defaults (and
    /// what `PHIAL_DEBUG`, `PHIAL_SECRET_KEY` and
    /// `PHIAL_SECRET_KEY_FALLBACKS` set); its [instance
    /// folder](Self::instance_path) is `instance` in the working directory.
    pub fn new() -> Self {
        let limits = Limits::default();
        let sessions = crate::web::sessions::SessionSettings::from_environment();
        let settings = crate::app::config::defaults::defaults(&limits, false, &sessions);
        let app = Self {
            inner: Arc::new(AppInner {
                router: Router::default(),
                limits,
                debug: false,
                settings,
                instance_path: absolute(Path::new("instance")),
                panics: Arc::new(AtomicU64::new(0)),
                #[cfg(feature = "templates")]
                templates: templates::shared(templates::default_folder(), false),
                urls: Arc::default(),
                static_files: Some(StaticFiles::default_config()),
                blueprint_static_files: Vec::new(),
                blueprints: Vec::new(),
                hooks: Hooks::default(),
                startup: Vec::new(),
                shutdown: Vec::new(),
                cookies: Arc::default(),
                sessions: Arc::new(sessions),
                state: StateMap::default(),
                #[cfg(feature = "cli")]
                commands: Vec::new(),
            }),
        };
        if crate::app::debug::from_environment() {
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

    /// Registers `value` as app state: a handler takes it as a
    /// [`&State<T>`](crate::extract::State) parameter. Any number of types
    /// may be registered, each once. A handler asking for a type that was
    /// never registered makes the app refuse to start, naming the handler,
    /// the parameter and the type.
    ///
    /// # Panics
    ///
    /// If a value of the same type is already registered: wrap each of two
    /// values of one type (two `String`s) in a type of its own.
    ///
    /// ```
    /// use phial::prelude::*;
    /// use phial::extract::State;
    ///
    /// struct Config {
    ///     title: String,
    /// }
    ///
    /// #[get("/")]
    /// fn index(config: &State<Config>) -> String {
    ///     config.title.clone()
    /// }
    ///
    /// let app = App::new()
    ///     .state(Config { title: "My site".to_owned() })
    ///     .route(index);
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.inner_mut().state.insert(value);
        self
    }

    /// The largest request body accepted, in bytes (default 16 MiB). A
    /// larger one is answered `413 Payload Too Large` before the handler runs.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.inner_mut().limits.max_body_size = bytes;
        self.show_setting("MAX_CONTENT_LENGTH", Value::from_size(bytes));
        self
    }

    /// The largest request head (request line and headers) accepted over
    /// HTTP/1.1, in bytes (default 80 KiB); a larger one is answered `431`.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_header_size(mut self, bytes: usize) -> Self {
        self.inner_mut().limits.max_header_size = bytes;
        self.show_setting("MAX_HEADER_SIZE", Value::from_size(bytes));
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
        self.inner_mut().limits.max_headers = count;
        self.show_setting("MAX_HEADERS", Value::from_size(count));
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
        self.inner_mut().limits.header_read_timeout = timeout;
        self.show_setting("HEADER_READ_TIMEOUT", Value::from_seconds(timeout));
        self
    }

    /// The most query parameters (`?a=1&b=2` has two) a request may carry
    /// (default 1000, as Werkzeug's form-parts limit). A request with more
    /// is answered `400 Bad Request` before any hook or handler runs, and
    /// logged; counting stops at the limit, so a huge query costs no more
    /// than a short one to refuse.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_query_params(mut self, count: usize) -> Self {
        self.inner_mut().limits.max_query_params = count;
        self.show_setting("MAX_QUERY_PARAMS", Value::from_size(count));
        self
    }

    /// How long a client may take to send a whole request body (default
    /// 60 s), counted from the end of its headers; past it the request is
    /// answered `408 Request Timeout` and the connection closed. It is a
    /// deadline for the whole body, not for each read: a client dripping
    /// one byte a second is cut off at it all the same.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().limits.body_read_timeout = timeout;
        self.show_setting("BODY_READ_TIMEOUT", Value::from_seconds(timeout));
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
        self.inner_mut().limits.write_timeout = timeout;
        self.show_setting("WRITE_TIMEOUT", Value::from_seconds(timeout));
        self
    }

    /// How long a graceful shutdown waits for in-flight requests before it
    /// closes their connections (default 30 s).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().limits.shutdown_timeout = timeout;
        self.show_setting("SHUTDOWN_TIMEOUT", Value::from_seconds(timeout));
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
            crate::app::debug::install_panic_hook();
        }
        self.show_setting("DEBUG", Value::Boolean(debug));
        let inner = self.inner_mut();
        inner.debug = debug;
        #[cfg(feature = "templates")]
        {
            inner.templates = inner.templates.with_reload(debug);
        }
        self
    }

    /// The app's configuration, as Flask's `app.config`: the [built-in
    /// settings](Self::with_config) as they are in force
    /// (whether set by a builder method or a config), and every other key
    /// given to [`with_config`](Self::with_config).
    ///
    /// Read what a handler needs once, when the app is built, and keep it
    /// typed: in a variable the handler's closure owns, or as app state.
    ///
    /// ```
    /// use phial::{App, Config};
    ///
    /// let app = App::new().max_body_size(1024).with_config(Config::new().set("DATABASE", "app.db"))?;
    /// let config = app.config();
    /// assert_eq!(config.value("MAX_CONTENT_LENGTH").and_then(|v| v.as_integer()), Some(1024));
    /// assert_eq!(config.value("DATABASE").and_then(|v| v.as_str()), Some("app.db"));
    /// # Ok::<(), phial::Error>(())
    /// ```
    pub fn config(&self) -> &Config {
        &self.inner.settings
    }

    /// The instance folder, as Flask's `app.instance_path`: where files
    /// that belong to this deployment and not to the code live (a local
    /// `config.toml`, an SQLite database, uploads). `instance` in the
    /// working directory unless [`with_instance_path`](Self::with_instance_path)
    /// moved it; always an absolute path. phial doesn't create it:
    /// [`ensure_instance_path`](Self::ensure_instance_path) does.
    ///
    /// ```
    /// let app = phial::App::new();
    /// assert!(app.instance_path().ends_with("instance"));
    /// ```
    pub fn instance_path(&self) -> &Path {
        &self.inner.instance_path
    }

    /// Moves the [instance folder](Self::instance_path) to `path` (a
    /// relative path is taken from the working directory).
    ///
    /// ```
    /// let app = phial::App::new().with_instance_path("/var/lib/flaskr");
    /// assert_eq!(app.instance_path(), std::path::Path::new("/var/lib/flaskr"));
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn with_instance_path(mut self, path: impl AsRef<Path>) -> Self {
        self.inner_mut().instance_path = absolute(path.as_ref());
        self
    }

    /// Creates the [instance folder](Self::instance_path) and its parents
    /// if they don't exist yet (flaskr's `os.makedirs(app.instance_path,
    /// exist_ok=True)`), and returns its path.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("phial-doc-instance-{}", std::process::id()));
    /// let app = phial::App::new().with_instance_path(&dir);
    /// let folder = app.ensure_instance_path()?;
    /// assert!(folder.is_dir());
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), phial::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// If the folder can't be created: an I/O error whose message names
    /// the folder.
    pub fn ensure_instance_path(&self) -> Result<&Path, crate::Error> {
        let path = self.instance_path();
        std::fs::create_dir_all(path).map_err(|error| {
            let message = format!(
                "can't create the instance folder {}: {error}",
                path.display()
            );
            crate::Error::io(std::io::Error::new(error.kind(), message))
        })?;
        Ok(path)
    }

    /// How many handlers have panicked since the app started (each panic was
    /// answered `500` and logged).
    pub fn panic_count(&self) -> u64 {
        self.inner.panics.load(Ordering::Relaxed)
    }
}

impl AppInner {
    /// The check made before the app serves its first request: every
    /// handler's extractors find what they need (the state they read).
    pub(crate) fn check_start(&self) -> Result<(), String> {
        let routes = || self.router.routes();
        crate::app::extract::check_app(
            routes().map(|route| route.endpoint.__extractors()),
            routes().map(|route| route.name()),
            &self.state,
        )
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
            .field("config", &self.inner.settings)
            .field("instance_path", &self.inner.instance_path)
            .field("hooks", &self.inner.hooks)
            .field("state_types", &self.inner.state.len())
            .finish()
    }
}

/// `path` from the working directory, if it is relative (and the working
/// directory is known).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}
