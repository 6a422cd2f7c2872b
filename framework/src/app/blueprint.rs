//! Blueprints, as Flask's: a named group of routes with a URL prefix, its
//! own hooks, error pages, templates and static files, registered on an
//! app. A blueprint records what it is given and the app replays it when
//! [`App::register_blueprint`] is called.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use http::StatusCode;

use crate::app::endpoint::Endpoint;
use crate::app::hooks::{before_hook, error_handler, Hooks, Registered};
use crate::app::routing::router::Mount;
use crate::web::static_files::StaticFiles;
use crate::{App, IntoResponse, Request, Response};

/// A group of routes with a name, a URL prefix and hooks of its own, as
/// Flask's `Blueprint`. Its endpoints are named after it: handler `login`
/// of blueprint `auth` is `auth.login` for `url_for` in templates, and
/// `url_for!(auth::login)` includes the prefix.
///
/// ```
/// use phial::prelude::*;
/// use phial::Blueprint;
///
/// #[route("/login", methods = ["GET", "POST"])]
/// fn login() -> &'static str {
///     "the login form"
/// }
///
/// #[get("/")]
/// fn index() -> &'static str {
///     "home"
/// }
///
/// let auth = Blueprint::new("auth").url_prefix("/auth").route(login);
/// let app = App::new().route(index).register_blueprint(auth);
/// # let _ = app;
/// ```
///
/// Flask's equivalent:
///
/// ```python
/// bp = Blueprint("auth", __name__, url_prefix="/auth")
///
/// @bp.route("/login", methods=("GET", "POST"))
/// def login(): ...
///
/// app.register_blueprint(bp)
/// ```
#[must_use = "a blueprint does nothing until it is registered on an app"]
pub struct Blueprint {
    name: String,
    url_prefix: String,
    routes: Vec<Arc<dyn Endpoint>>,
    /// Hooks that run for this blueprint's routes.
    hooks: Hooks,
    /// Hooks that run for every request of the app.
    app_hooks: Hooks,
    template_folder: Option<PathBuf>,
    static_folder: Option<PathBuf>,
    static_url_path: Option<String>,
    csrf_exempt: bool,
}

impl Blueprint {
    /// A blueprint named `name` (no prefix, no routes yet).
    ///
    /// # Panics
    ///
    /// If `name` is empty or contains a dot (it names endpoints as
    /// `name.handler`), as Flask refuses it.
    pub fn new(name: impl Into<String>) -> Self {
        let name = name.into();
        assert!(
            !name.is_empty() && !name.contains('.'),
            "a blueprint's name can't be empty or contain a dot (got {name:?}): \
             its endpoints are named `{name}.handler`"
        );
        Self {
            name,
            url_prefix: String::new(),
            routes: Vec::new(),
            hooks: Hooks::default(),
            app_hooks: Hooks::default(),
            template_folder: None,
            static_folder: None,
            static_url_path: None,
            csrf_exempt: false,
        }
    }

    /// Exempts the blueprint's routes from cross-origin protection, as
    /// Flask-WTF's `csrf.exempt(bp)`: an API blueprint whose requests carry
    /// a token in a header, which a browser never adds by itself. See
    /// [`App::csrf_exempt`](crate::App::csrf_exempt).
    #[must_use = "a blueprint does nothing until it is registered"]
    pub fn csrf_exempt(mut self) -> Self {
        self.csrf_exempt = true;
        self
    }

    /// The blueprint's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Mounts the blueprint's routes under `prefix` (`/auth`: the route
    /// `/login` answers `/auth/login`).
    ///
    /// # Panics
    ///
    /// If `prefix` doesn't start with `/`.
    pub fn url_prefix(mut self, prefix: &str) -> Self {
        assert!(
            prefix.starts_with('/'),
            "url_prefix must start with `/`, as in \"/auth\" (got {prefix:?})"
        );
        self.url_prefix = prefix.trim_end_matches('/').to_owned();
        self
    }

    /// Adds a handler made by `#[route]` (or `#[get]`, `#[post]`, ...).
    pub fn route(mut self, endpoint: impl Endpoint) -> Self {
        self.routes.push(Arc::new(endpoint));
        self
    }

    /// Adds several handlers at once; see [`routes!`](crate::routes).
    pub fn routes(mut self, endpoints: impl IntoIterator<Item = Arc<dyn Endpoint>>) -> Self {
        self.routes.extend(endpoints);
        self
    }

    /// Runs `hook` before each request routed to this blueprint, after the
    /// app's own before-request hooks, as [`App::before_request`].
    pub fn before_request<F, R>(mut self, hook: F) -> Self
    where
        F: Fn(&Request) -> Option<R> + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.hooks.before.push(before_hook(hook));
        self
    }

    /// Runs `hook` on each response of this blueprint's routes, before the
    /// app's after-request hooks, as [`App::after_request`].
    pub fn after_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&Request, &mut Response) + Send + Sync + 'static,
    {
        self.hooks.after.push(Arc::new(hook));
        self
    }

    /// Runs `hook` at the end of each request routed to this blueprint,
    /// before the app's teardown hooks, as [`App::teardown_request`].
    pub fn teardown_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&Request, Option<&str>) + Send + Sync + 'static,
    {
        self.hooks.teardown.push(Arc::new(hook));
        self
    }

    /// Renders the page for error `status` raised by this blueprint's
    /// routes (an [`abort`](crate::abort), a panic's 500), ahead of the
    /// app's handler for it, as [`App::errorhandler`].
    ///
    /// # Panics
    ///
    /// If `status` is not a status code.
    pub fn errorhandler<S, F, R>(mut self, status: S, handler: F) -> Self
    where
        S: TryInto<StatusCode>,
        S::Error: fmt::Debug,
        F: Fn(&Request, StatusCode) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        let (status, handler) = error_handler(status, handler);
        self.hooks.error_handlers.insert(status, handler);
        self
    }

    /// Runs `hook` before every request of the app, as Flask's
    /// `before_app_request` (flaskr loads the logged-in user this way).
    pub fn before_app_request<F, R>(mut self, hook: F) -> Self
    where
        F: Fn(&Request) -> Option<R> + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.app_hooks.before.push(before_hook(hook));
        self
    }

    /// Runs `hook` on every response of the app, as Flask's
    /// `after_app_request`.
    pub fn after_app_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&Request, &mut Response) + Send + Sync + 'static,
    {
        self.app_hooks.after.push(Arc::new(hook));
        self
    }

    /// Runs `hook` at the end of every request of the app, as Flask's
    /// `teardown_app_request`.
    pub fn teardown_app_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&Request, Option<&str>) + Send + Sync + 'static,
    {
        self.app_hooks.teardown.push(Arc::new(hook));
        self
    }

    /// Renders the page for error `status` anywhere in the app, as Flask's
    /// `app_errorhandler`.
    ///
    /// # Panics
    ///
    /// If `status` is not a status code.
    pub fn app_errorhandler<S, F, R>(mut self, status: S, handler: F) -> Self
    where
        S: TryInto<StatusCode>,
        S::Error: fmt::Debug,
        F: Fn(&Request, StatusCode) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        let (status, handler) = error_handler(status, handler);
        self.app_hooks.error_handlers.insert(status, handler);
        self
    }

    /// A folder of templates of its own, searched after the app's (as
    /// Flask's blueprint `template_folder`).
    #[cfg(feature = "templates")]
    #[cfg_attr(docsrs, doc(cfg(feature = "templates")))]
    pub fn template_folder(mut self, folder: impl Into<PathBuf>) -> Self {
        self.template_folder = Some(folder.into());
        self
    }

    /// A folder of static files of its own, served at the blueprint's
    /// prefix plus `/static` (`/auth/static/<path:filename>`) unless
    /// [`static_url_path`](Self::static_url_path) says otherwise.
    pub fn static_folder(mut self, folder: impl Into<PathBuf>) -> Self {
        self.static_folder = Some(folder.into());
        self
    }

    /// Where the blueprint's static files are served, under its prefix
    /// (default `/static`).
    ///
    /// # Panics
    ///
    /// If `url_path` doesn't start with `/`.
    pub fn static_url_path(mut self, url_path: &str) -> Self {
        assert!(
            url_path.starts_with('/'),
            "static_url_path must start with `/`, as in \"/assets\" (got {url_path:?})"
        );
        self.static_url_path = Some(url_path.trim_end_matches('/').to_owned());
        self
    }
}

impl fmt::Debug for Blueprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let routes: Vec<&str> = self.routes.iter().map(|r| r.__info().name).collect();
        f.debug_struct("Blueprint")
            .field("name", &self.name)
            .field("url_prefix", &self.url_prefix)
            .field("routes", &routes)
            .field("hooks", &self.hooks)
            .field("app_hooks", &self.app_hooks)
            .finish_non_exhaustive()
    }
}

impl App {
    /// Registers `blueprint`: its routes under its prefix, named
    /// `name.handler`, its hooks, templates and static files.
    ///
    /// # Panics
    ///
    /// If a blueprint of the same name is registered already, or if one of
    /// its routes has the same pattern and a method in common with a route
    /// already registered (the message names both handlers).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn register_blueprint(mut self, blueprint: Blueprint) -> Self {
        let Blueprint {
            name,
            url_prefix,
            routes,
            hooks,
            app_hooks,
            template_folder,
            static_folder,
            static_url_path,
            csrf_exempt,
        } = blueprint;
        let inner = self.inner_mut();
        assert!(
            inner.blueprints.iter().all(|other| other.name != name),
            "a blueprint named `{name}` is registered already: give each blueprint its own name"
        );
        let index = inner.blueprints.len();
        for endpoint in routes {
            let mount = Mount {
                name: Some(&name),
                url_prefix: &url_prefix,
                blueprint: Some(index),
            };
            inner.add_route(endpoint, mount);
        }
        inner.hooks.extend(app_hooks);
        #[cfg(feature = "templates")]
        if let Some(folder) = template_folder {
            inner.templates = inner.templates.with_folder(folder);
        }
        #[cfg(not(feature = "templates"))]
        let _ = template_folder;
        let static_url_path = static_folder.map(|folder| {
            let url_path = static_url_path.unwrap_or_else(|| "/static".to_owned());
            let url_path = format!("{url_prefix}{url_path}");
            inner.blueprint_static_files.push(StaticFiles {
                url_path: url_path.clone(),
                folder,
            });
            Arc::make_mut(&mut inner.urls).add_blueprint_static(&name, &url_path);
            url_path
        });
        inner.blueprints.push(Registered {
            name,
            hooks,
            static_url_path,
            csrf_exempt,
        });
        self
    }
}
