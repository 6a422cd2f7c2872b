//! # phial
//!
//! A web micro-framework with Flask's ergonomics, running on hyper and tokio.
//!
//! ```no_run
//! use phial::prelude::*;
//!
//! #[route("/")]
//! async fn index() -> Response {
//!     let mut response = make_response("Hello, World!");
//!     response.set_cookie("username", "bob");
//!     response
//! }
//!
//! #[route("/user")]
//! async fn user(request: &Request) -> String {
//!     let username = request.cookies.get("username", "Guest");
//!     format!("Hello, {username}!")
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), phial::Error> {
//!     App::new().route(index).route(user).run("127.0.0.1:5000").await
//! }
//! ```
//!
//! ## Routes
//!
//! `#[route("/path")]` turns a function (`fn` or `async fn`) into a handler;
//! register it with [`App::route`]. `#[route("/login", methods = ["GET",
//! "POST"])]` answers several methods; [`get`], [`post`], [`put`], [`patch`]
//! and [`delete`] are shorthands.
//!
//! Flask's variable rules bind to parameters of the same name, in any order,
//! beside an optional `&Request`:
//!
//! | rule | matches | parameter types |
//! |---|---|---|
//! | `<name>`, `<string:name>` | a segment without `/` | `&str`, `String` |
//! | `<int:id>` | digits | any integer type (too large: no match) |
//! | `<float:x>` | `1.5` | `f32`, `f64` |
//! | `<path:rest>` | the rest of the path, `/` included | `&str`, `String` |
//! | `<uuid:id>` | a hyphenated UUID | [`Uuid`] |
//!
//! A request whose segment doesn't convert doesn't match: the next matching
//! route is tried, else 404. A path that matches with another method is
//! answered 405 with `Allow`; `HEAD` and `OPTIONS` are answered for you; a
//! route ending in `/` redirects the URL without it (308), as in Flask.
//!
//! Synchronous handlers run on the server's threads: do blocking work (files,
//! heavy computation, blocking database drivers) in an `async fn` through
//! [`tokio::task::spawn_blocking`].
//!
//! ## Requests and responses
//!
//! [`Request`] has the method, path, headers, the body (read before the
//! handler runs), the query arguments in [`request.args`](Request::args) and
//! the cookies in [`request.cookies`](Request::cookies). Both are [`Params`]:
//! `get(key, default)` returns a `&str` for a `&str` default, an `Option`
//! for `None`, a parsed number for a number.
//!
//! A handler returns anything that is [`IntoResponse`]: text, bytes, a
//! [`Response`], `(StatusCode, body)`, `Option` (`None` is 404), `Result`.
//!
//! ## Cookies
//!
//! [`request.cookies`](Request::cookies) reads the `Cookie` header the way
//! browsers send it (sandwich-safe, UTF-8); [`Response::set_cookie`] takes
//! every Flask option as a chained setter and encodes values as Werkzeug
//! does; [`Response::delete_cookie`] reuses the path and domain the app set
//! the cookie with. See the [`cookies`] module.
//!
//! ## Sessions
//!
//! [`request.session`](Request::session) keeps values (any serde type)
//! from one request to the next in a cookie signed with the app's
//! [secret key](App::secret_key); [`flash`] and [`get_flashed_messages`]
//! (also in templates) show a message once.
//! [`Response::set_signed_cookie`] and [`Response::set_private_cookie`]
//! make single cookies tamper-proof or unreadable. Tampered, truncated or
//! foreign values read as absent. See [`Session`].
//!
//! ## Configuration
//!
//! [`Config`] is Flask's `app.config`: string keys to values, filled by
//! [`set`](Config::set) and [`from_mapping`](Config::from_mapping), a TOML
//! file ([`from_file`](Config::from_file)) and prefixed environment
//! variables ([`from_prefixed_env`](Config::from_prefixed_env)), read back
//! typed with [`get`](Config::get) or whole into a struct with
//! [`extract`](Config::extract). [`App::with_config`] reads the built-in
//! settings from it (`SECRET_KEY`, `DEBUG`, `MAX_CONTENT_LENGTH`,
//! `SESSION_COOKIE_*`, ...: [the table](App::with_config))
//! and keeps the rest in [`App::config`]; a bad value is an error there,
//! naming the key, not a failure at request time. The [instance
//! folder](App::instance_path) holds the deployment's files.
//!
//! flaskr's app factory, in Python:
//!
//! ```python
//! def create_app(test_config=None):
//!     app = Flask(__name__, instance_relative_config=True)
//!     app.config.from_mapping(
//!         SECRET_KEY="dev",
//!         DATABASE=os.path.join(app.instance_path, "flaskr.sqlite"),
//!     )
//!     if test_config is None:
//!         app.config.from_pyfile("config.py", silent=True)
//!     else:
//!         app.config.from_mapping(test_config)
//!     os.makedirs(app.instance_path, exist_ok=True)
//!     return app
//! ```
//!
//! and in phial:
//!
//! ```no_run
//! use phial::prelude::*;
//! use phial::Config;
//!
//! #[get("/")]
//! fn index() -> &'static str {
//!     "index"
//! }
//!
//! fn create_app(test_config: Option<Config>) -> Result<App, phial::Error> {
//!     let app = App::new(); // its instance folder: ./instance
//!     let config = Config::new()
//!         .set("SECRET_KEY", "dev key: 32 bytes or more, please")
//!         .set("DATABASE", app.instance_path().join("flaskr.sqlite"));
//!     let config = match test_config {
//!         None => config
//!             .from_file_if_exists(app.instance_path().join("config.toml"))?
//!             .from_prefixed_env("PHIAL"),
//!         Some(test_config) => config.from_mapping(test_config),
//!     };
//!     app.ensure_instance_path()?;
//!     Ok(app.with_config(config)?.route(index))
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), phial::Error> {
//!     create_app(None)?.run("127.0.0.1:5000").await
//! }
//! ```
//!
//! A test calls `create_app(Some(Config::new().set("TESTING", true)))`.
//! Handlers are plain functions, with no `current_app`: read what they need
//! from the config once, when the app is built, and hand it to them typed
//! (as app state, `State<T>`, or in a hook's closure).
//!
//! ## Lifecycle
//!
//! [`App::teardown_request`] and [`App::teardown_appcontext`] run after
//! every request, even one whose handler panicked (they get the panic
//! message) or returned an error. [`App::on_startup`] runs async hooks
//! before the server accepts (a failing one stops [`App::run`] with its
//! error); [`App::on_shutdown`] runs them after the graceful shutdown
//! (Ctrl-C, SIGTERM), before `run` returns. Flask has no start-up hooks;
//! Quart's `before_serving` and `after_serving` are these:
//!
//! ```python
//! @app.before_serving
//! async def open_pool():
//!     app.pool = await create_pool(app.config["DATABASE_URL"])
//!
//! @app.after_serving
//! async def close_pool():
//!     await app.pool.close()
//! ```
//!
//! ```
//! use phial::App;
//!
//! let app = App::new()
//!     .on_startup(|app| async move {
//!         let url: String = app.config().get("DATABASE_URL")?;
//!         println!("connecting to {url}");
//!         Ok(())
//!     })
//!     .on_shutdown(|_app| async {
//!         println!("closing the pool");
//!     })
//!     .teardown_appcontext(|error| {
//!         if let Some(message) = error {
//!             eprintln!("request failed: {message}");
//!         }
//!     });
//! ```
//!
//! The [test client](App::test_client) runs no start-up or shutdown hook:
//! a test calls [`App::run_startup_hooks`] and [`App::run_shutdown_hooks`].
//! ## State and typed arguments
//!
//! Besides route variables and `&Request`, a handler takes *typed
//! arguments*: types that implement [`extract::FromRequest`], built in
//! parameter order before the handler runs, each able to answer in its
//! place. App state is one of them: register values by type with
//! [`App::state`], take them as [`&State<T>`](extract::State).
//!
//! Flask:
//!
//! ```python
//! db = Database()                        # a module global
//!
//! @app.get("/search")
//! @login_required                        # a decorator checked at run time
//! def search():
//!     page = int(request.args["page"])   # missing: 400; "abc": a 500
//!     return db.search(request.args["q"], page)
//! ```
//!
//! phial:
//!
//! ```
//! use phial::extract::{FromRequest, Query, RequestCx, State};
//! use phial::prelude::*;
//!
//! struct Db;
//!
//! impl Db {
//!     fn search(&self, q: &str, page: u32) -> String {
//!         format!("{q}, page {page}")
//!     }
//! }
//!
//! #[derive(serde::Deserialize)]
//! struct Search {
//!     q: String,
//!     page: u32,
//! }
//!
//! /// Flask's `login_required`, checked by the type system.
//! struct CurrentUser;
//!
//! impl<'a> FromRequest<'a> for CurrentUser {
//!     type Rejection = Response;
//!
//!     async fn from_request(cx: RequestCx<'a>) -> Result<Self, Response> {
//!         match cx.request().session.get_as::<String>("user") {
//!             Some(_) => Ok(CurrentUser),
//!             None => Err(redirect("/auth/login")),
//!         }
//!     }
//! }
//!
//! #[get("/search")]
//! fn search(_user: CurrentUser, db: &State<Db>, Query(search): Query<Search>) -> String {
//!     db.search(&search.q, search.page) // `?page=abc`: 400 "invalid query string: `page`: ..."
//! }
//!
//! let app = App::new().state(Db).route(search);
//! ```
//!
//! - A handler that takes `&State<Db>` in an app without a `Db` doesn't
//!   start: [`App::run`] returns an [`Error`] ([`Error::is_setup`]) naming
//!   the handler, the parameter and the type, and [`App::test_client`]
//!   panics with it. Never a 500 at request time.
//! - Built in: [`&State<T>`](extract::State), [`extract::Form<T>`],
//!   [`extract::Query<T>`] and [`Json<T>`]; a missing or bad field is a 400
//!   that names it. See [`extract`] for writing your own.
//! - A type that is no extractor is a compile error on its parameter:
//!   "`&Db` can't be a handler parameter".
//!
//! ## Protection
//!
//! Out of the box: a 16 MiB body limit (413), a 30 s header-read timeout
//! (that also closes silent connections), an 80 KiB header cap (431), 400 for
//! an HTTP/1.1 request without exactly one `Host`, and a handler panic is a
//! 500 page and a log line while the server goes on serving.
//!
//! ## Testing
//!
//! [`App::test_client`] drives the app in-process with a cookie jar.
//!
//! ## Command line
//!
//! [`App::cli`] makes the app's binary its command line, as Flask's `flask`
//! command: `run` (the default: `--host`, `--port` or `PORT`, `--debug`)
//! serves it, `routes` prints its route table, `--help` lists the
//! commands, and [`App::command`] adds the app's own (`init-db`):
//!
//! ```no_run
//! use phial::prelude::*;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), phial::Error> {
//!     App::new()
//!         .command("init-db", "Clear the existing data and create new tables.", |_app| async {
//!             println!("Initialized the database.");
//!             Ok(())
//!         })
//!         .cli()
//!         .await
//! }
//! ```
//!
//! ## Cargo features
//!
//! Everything is on by default, so a plain `phial = "0.1"` has all of the
//! above. An app that wants a shorter build turns the defaults off and
//! names what it uses: `phial = { version = "0.1", default-features = false,
//! features = ["json"] }`. Routing, the server (HTTP/1.1), hooks, error
//! pages, redirects, forms (URL-encoded), static files, plain cookies and
//! the [`Config`] map with its built-in keys are always there.
//!
//! | feature | enables | pulls in |
//! |---|---|---|
//! | `logging` | [`App::run`] installs a log subscriber (`RUST_LOG` filters it): the access log, refusals, panics | `tracing-subscriber` |
//! | `config` | [`Config::get`], [`Config::extract`] (serde), [`Config::from_file`] (TOML), [`Config::from_prefixed_env`]; without it a [`Config`] is filled with [`set`](Config::set) and [`from_mapping`](Config::from_mapping) and read with [`value`](Config::value), and the built-in keys still apply | `serde`, `toml` |
//! | `templates` | [`render_template`], [`context!`](macro@context), [`App::template_folder`]; `url_for` and `get_flashed_messages` in templates | `minijinja` |
//! | `json` | [`Json`] (a response and an argument), [`JsonError`], [`Request::json`], `serde_json::Value` responses | `serde`, `serde_json`, `serde_path_to_error` |
//! | `forms` | [`extract::Form<T>`] and [`extract::Query<T>`] arguments | `serde`, `serde_html_form`, `serde_path_to_error` |
//! | `sessions` (with `json`) | [`Request::session`], [`flash`], [`get_flashed_messages`], [`Response::set_signed_cookie`], [`Response::set_private_cookie`], [`Cookies::get_signed`], [`Cookies::get_private`], [`App::secret_key`] | `hmac`, `sha2`, `base64`, the `cookie` crate's AES-GCM and HKDF |
//! | `multipart` | `multipart/form-data` bodies: their fields in [`request.form`](Request::form), their files in [`request.files`](Request::files); [`secure_filename`] | `multer` (and `encoding_rs`), `unicode-normalization` |
//! | `http2` | HTTP/2 over cleartext (prior knowledge) beside HTTP/1.1; without it a client that opens with the HTTP/2 preface is closed, with a log line | hyper's and hyper-util's `http2` (`h2`) |
//! | `uuid` | the `<uuid:name>` route converter, [`Uuid`] | `uuid` |
//! | `test-client` | [`App::test_client`], [`TestClient`] | `url` (and through it `idna` and ICU) |
//! | `cli` | [`App::cli`], [`App::cli_from`], [`App::command`], [`App::command_with`], [`CommandResult`], [`clap`] | `clap` (its builder: no derive, no colours) |
//!
//! Without `logging`, phial still logs through [`tracing`] but installs no
//! subscriber: as with axum, the app installs its own (`App::run` says so
//! on stderr when none is installed).
//!
//! Without `multipart`, a multipart body leaves `request.form` empty (the
//! raw body is still in [`Request::body`]). Using an item of a feature
//! that is off is a compile error that names the feature.

#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate self as phial;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod __fuzz;
mod app;
mod http_core;
mod server;
mod web;

pub use app::application::App;
pub use app::blueprint::Blueprint;
#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub use app::cli::CommandResult;
pub use app::config::{self, Config};
pub use app::endpoint::Endpoint;
pub use app::extract;
pub use app::serve::default_address;
#[cfg(feature = "test-client")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-client")))]
pub use app::test_client::{TestClient, TestRequest, TestResponse};
#[cfg(feature = "sessions")]
#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
pub use http_core::cookies::PrivateDefault;
pub use http_core::cookies::{
    self, CookieText, Cookies, MaxAge, OptionalText, SameSite, SetCookie,
};
pub use http_core::error::Error;
pub use http_core::escape::escape;
pub use http_core::form::Form;
pub use http_core::g::G;
#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub use http_core::json::{Json, JsonError};
#[cfg(feature = "multipart")]
#[cfg_attr(docsrs, doc(cfg(feature = "multipart")))]
pub use http_core::multipart::{secure_filename, FileStorage, Files};
pub use http_core::params::{GetDefault, Params};
pub use http_core::pattern;
pub use http_core::request::{Args, Request};
pub use http_core::response::{
    abort, is_local_redirect, make_response, redirect, redirect_local, redirect_with, Abort, Body,
    IntoResponse, Response,
};
#[cfg(feature = "sessions")]
#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
pub use http_core::secret::{
    generate_secret_key, MIN_SECRET_KEY_LEN, SECRET_KEY_ENV, SECRET_KEY_FALLBACKS_ENV,
};
#[cfg(feature = "sessions")]
#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
pub use web::sessions::{
    flash, flash_with_category, get_flashed_messages, get_flashed_messages_with_categories,
    Session, SessionDefault,
};
pub use web::static_files::{safe_join, send_file, send_from_directory};
#[cfg(feature = "templates")]
#[cfg_attr(docsrs, doc(cfg(feature = "templates")))]
pub use web::templates::render_template;

/// Any error, boxed: what a [start-up hook](App::on_startup) returns
/// (`?` converts any error type into it; `Err("text".into())` makes one).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub use bytes::Bytes;
/// clap, which parses [`App::cli`]'s command line: its builder defines
/// commands with arguments for [`App::command_with`].
#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub use clap;
pub use http::{self, HeaderMap, HeaderValue, Method, StatusCode};
/// Builds a template context: `context! { name, count => 3 }` (minijinja's).
#[cfg(feature = "templates")]
#[cfg_attr(docsrs, doc(cfg(feature = "templates")))]
pub use minijinja::context;
/// A UUID, for `<uuid:name>` route variables (the `uuid` crate's).
#[cfg(feature = "uuid")]
#[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
pub use uuid::Uuid;

pub use phial_macros::{delete, get, patch, post, put, route};

/// Collects handlers for [`App::routes`].
///
/// ```
/// use phial::prelude::*;
///
/// #[get("/")]
/// fn index() -> &'static str { "index" }
///
/// #[get("/about")]
/// fn about() -> &'static str { "about" }
///
/// let app = App::new().routes(routes![index, about]);
/// ```
#[macro_export]
macro_rules! routes {
    ($($endpoint:path),* $(,)?) => {
        [$(::phial::__private::endpoint($endpoint)),*]
    };
}

/// The README's examples, compiled and run as doctests so it stays true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The URL of a route, checked at compile time, as Flask's `url_for`:
/// `url_for!(handler, variable = value, ...)`.
///
/// Every route variable must be given, with a value of the type the
/// handler takes (a misspelled, missing or mistyped variable is a compile
/// error); other arguments become the query string. Values are
/// percent-encoded.
///
/// ```
/// use phial::prelude::*;
///
/// #[get("/user/<int:id>")]
/// fn show_user(id: u32) -> String {
///     format!("user {id}")
/// }
///
/// #[get("/files/<path:name>")]
/// fn files(name: &str) -> String {
///     name.to_owned()
/// }
///
/// assert_eq!(url_for!(show_user, id = 42), "/user/42");
/// assert_eq!(url_for!(show_user, id = 7, tab = "posts & likes"), "/user/7?tab=posts+%26+likes");
/// assert_eq!(url_for!(files, name = "a b/c.txt"), "/files/a%20b/c.txt");
/// ```
///
/// ```compile_fail
/// use phial::prelude::*;
///
/// #[get("/user/<int:id>")]
/// fn show_user(id: u32) -> String {
///     format!("user {id}")
/// }
///
/// let url = url_for!(show_user, idd = 42); // no `id`: a compile error
/// ```
#[macro_export]
macro_rules! url_for {
    ($($handler:ident)::+ $(,)?) => {
        $($handler)::+!([$($handler)::+])
    };
    ($($handler:ident)::+, $($arguments:tt)*) => {
        $($handler)::+!([$($handler)::+] $($arguments)*)
    };
}

/// What a small app needs, in one `use phial::prelude::*;`.
pub mod prelude {
    pub use crate::{
        abort, delete, get, make_response, patch, post, put, redirect, route, routes, url_for, App,
        IntoResponse, Request, Response, SameSite, StatusCode,
    };

    #[cfg(feature = "json")]
    pub use crate::Json;
    #[cfg(feature = "templates")]
    pub use crate::{context, render_template};
    #[cfg(feature = "sessions")]
    pub use crate::{flash, get_flashed_messages};
}

/// Items the macros' generated code uses. Not public API: may change in any release.
#[doc(hidden)]
pub mod __private {
    /// The runtime half of `url_for!`.
    pub mod url {
        pub use crate::http_core::url::{push_path, push_query, push_segment};
        pub use crate::web::current::mounted;
    }
    pub use crate::app::endpoint::{
        into_response, into_response_async, FromParam, Reply, RouteInfo, RouteParams,
    };
    pub use crate::app::extract::{ExtractorInfo, FromRequest, RequestCx};
    pub use crate::Endpoint;
    pub use phial_macros::url_for;

    /// A handler as a shareable trait object, for [`routes!`](crate::routes).
    pub fn endpoint(endpoint: impl crate::Endpoint) -> std::sync::Arc<dyn crate::Endpoint> {
        std::sync::Arc::new(endpoint)
    }
}
