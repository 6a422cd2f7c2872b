//! The application: its routes and settings, built once, shared by every
//! connection.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

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

/// A command the app added to its command line (`app/cli/`): its clap
/// definition and its handler, given the app and the parsed arguments.
#[cfg(feature = "cli")]
#[derive(Clone)]
pub(crate) struct AppCommand {
    pub(crate) command: clap::Command,
    pub(crate) handler: Arc<CommandHandler>,
}

/// What runs an app-defined command.
#[cfg(feature = "cli")]
pub(crate) type CommandHandler =
    dyn Fn(App, clap::ArgMatches) -> BoxFuture<Result<(), crate::BoxError>> + Send + Sync;

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
    pub(crate) commands: Vec<AppCommand>,
    /// The modules whose handlers [`App::discover`] registers at start.
    pub(crate) discover: Vec<&'static str>,
    /// Which cross-origin requests are refused (see `cross_origin.rs`).
    pub(crate) cross_origin: crate::app::origin_check::CrossOrigin,
    /// Whether responses forbid framing ([`App::deny_framing`]).
    pub(crate) deny_framing: bool,
    /// Debug mode's cookie explainer.
    pub(crate) cookie_explainer: Arc<crate::app::debug::CookieExplainer>,
    /// The proxies the app trusts ([`App::behind_proxy`]), if any.
    pub(crate) proxy_fix: Option<crate::http_core::forwarded::ProxyFix>,
    /// Whether the app has warned of a `Secure` cookie set over plain http.
    pub(crate) warned_secure_over_http: Arc<AtomicBool>,
    /// Where uploads over the threshold are spooled ([`App::spool_threshold`]).
    #[cfg(feature = "multipart")]
    pub(crate) uploads: crate::http_core::spooled::SpoolSettings,
}

impl AppInner {
    /// Adds `endpoint` where `mount` says, and records its URL.
    pub(crate) fn add_route(&mut self, endpoint: Arc<dyn Endpoint>, mount: Mount<'_>) {
        let handler = endpoint.__type_id();
        let more_routes = endpoint.__more_routes();
        let route = self.router.add(endpoint, mount);
        Arc::make_mut(&mut self.urls).insert(
            route.name(),
            route.pattern(),
            handler,
            mount.url_prefix,
        );
        // Stacked route attributes: the function's other routes, in the
        // order written. Its name keeps its first route's pattern for
        // `url_for` in templates; `url_for!` knows them all.
        for more in more_routes {
            self.router.add(more(), mount);
        }
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
        let static_files = StaticFiles::default_config();
        let mut urls = Urls::default();
        urls.set_static(Some(&static_files.url_path));
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
                urls: Arc::new(urls),
                static_files: Some(static_files),
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
                discover: Vec::new(),
                cross_origin: Default::default(),
                deny_framing: false,
                cookie_explainer: Default::default(),
                proxy_fix: None,
                warned_secure_over_http: Arc::default(),
                #[cfg(feature = "multipart")]
                uploads: Default::default(),
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
        #[cfg(feature = "sessions")]
        if let Some(error) = &self.sessions.invalid_redis_url {
            return Err(error.clone());
        }
        #[cfg(feature = "multipart")]
        if let Some(dir) = self.uploads.dir.as_ref().filter(|dir| !dir.is_dir()) {
            return Err(format!(
                "the spool folder `{}` (App::spool_dir) is not a folder: create it before \
                 the app starts, or leave uploads in the system's temporary folder",
                dir.display()
            ));
        }
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
pub(super) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}
