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
//! ## Protection
//!
//! Out of the box: a 16 MiB body limit (413), a 30 s header-read timeout
//! (that also closes silent connections), an 80 KiB header cap (431), 400 for
//! an HTTP/1.1 request without exactly one `Host`, and a handler panic is a
//! 500 page and a log line while the server goes on serving.
//!
//! ## Passwords
//!
//! [`generate_password_hash`] and [`check_password_hash`] make and check
//! password hashes in Werkzeug's format (`scrypt:32768:8:1$salt$hex`), so
//! the user table of a Flask app reads unchanged; [`security`] says which
//! methods and parameters are accepted.
//!
//! ## Testing
//!
//! [`App::test_client`] drives the app in-process with a cookie jar.
//!
//! ## Cargo features
//!
//! Everything is on by default, so a plain `phial = "0.1"` has all of the
//! above. An app that wants a shorter build turns the defaults off and
//! names what it uses: `phial = { version = "0.1", default-features = false,
//! features = ["json"] }`. Routing, the server (HTTP/1.1), hooks, error
//! pages, redirects, forms (URL-encoded), static files and plain cookies
//! are always there.
//!
//! | feature | enables | pulls in |
//! |---|---|---|
//! | `logging` | [`App::run`] installs a log subscriber (`RUST_LOG` filters it): the access log, refusals, panics | `tracing-subscriber` |
//! | `templates` | [`render_template`], [`context!`](macro@context), [`App::template_folder`]; `url_for` and `get_flashed_messages` in templates | `minijinja` |
//! | `json` | [`Json`], [`JsonError`], [`Request::json`], `serde_json::Value` responses | `serde`, `serde_json` |
//! | `sessions` (with `json`) | [`Request::session`], [`flash`], [`get_flashed_messages`], [`Response::set_signed_cookie`], [`Response::set_private_cookie`], [`Cookies::get_signed`], [`Cookies::get_private`], [`App::secret_key`] | `hmac`, `sha2`, `base64`, the `cookie` crate's AES-GCM and HKDF |
//! | `multipart` | `multipart/form-data` bodies: their fields in [`request.form`](Request::form), their files in [`request.files`](Request::files); [`secure_filename`] | `multer` (and `encoding_rs`), `unicode-normalization` |
//! | `http2` | HTTP/2 over cleartext (prior knowledge) beside HTTP/1.1; without it a client that opens with the HTTP/2 preface is closed, with a log line | hyper's and hyper-util's `http2` (`h2`) |
//! | `uuid` | the `<uuid:name>` route converter, [`Uuid`] | `uuid` |
//! | `test-client` | [`App::test_client`], [`TestClient`] | `url` (and through it `idna` and ICU) |
//! | `passwords` | [`generate_password_hash`], [`check_password_hash`] in Werkzeug's format (scrypt, PBKDF2): a Flask app's user table reads unchanged; the [`security`] module | `scrypt`, `pbkdf2`, `sha1`, `sha2`, `subtle`, `getrandom` |
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
mod blueprint;
pub mod cookies;
mod current;
mod debug;
mod dispatch;
mod endpoint;
mod error;
mod escape;
mod form;
mod g;
mod hooks;
#[cfg(feature = "json")]
mod json;
#[cfg(feature = "multipart")]
mod multipart;
mod params;
mod request;
mod response;
mod routing;
#[cfg(feature = "sessions")]
mod secret;
#[cfg(feature = "passwords")]
#[cfg_attr(docsrs, doc(cfg(feature = "passwords")))]
pub mod security;
mod server;
#[cfg(feature = "sessions")]
mod session;
mod static_files;
#[cfg(feature = "templates")]
mod templates;
#[cfg(feature = "test-client")]
mod test_client;
#[cfg(not(feature = "sessions"))]
mod without_sessions;
#[cfg(not(feature = "sessions"))]
use without_sessions::{secret, session};

pub use app::App;
pub use blueprint::Blueprint;
#[cfg(feature = "sessions")]
#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
pub use cookies::PrivateDefault;
pub use cookies::{CookieText, Cookies, MaxAge, OptionalText, SameSite, SetCookie};
pub use endpoint::Endpoint;
pub use error::Error;
pub use escape::escape;
pub use form::Form;
pub use g::G;
#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub use json::{Json, JsonError};
#[cfg(feature = "multipart")]
#[cfg_attr(docsrs, doc(cfg(feature = "multipart")))]
pub use multipart::{secure_filename, FileStorage, Files};
pub use params::{GetDefault, Params};
pub use request::{Args, Request};
pub use response::{
    abort, is_local_redirect, make_response, redirect, redirect_local, redirect_with, Abort, Body,
    IntoResponse, Response,
};
pub use routing::pattern;
#[cfg(feature = "sessions")]
#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
pub use secret::{
    generate_secret_key, MIN_SECRET_KEY_LEN, SECRET_KEY_ENV, SECRET_KEY_FALLBACKS_ENV,
};
#[cfg(feature = "passwords")]
#[cfg_attr(docsrs, doc(cfg(feature = "passwords")))]
pub use security::{check_password_hash, generate_password_hash, generate_password_hash_with};
pub use server::default_address;
#[cfg(feature = "sessions")]
#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
pub use session::{
    flash, flash_with_category, get_flashed_messages, get_flashed_messages_with_categories,
    Session, SessionDefault,
};
pub use static_files::{safe_join, send_file, send_from_directory};
#[cfg(feature = "templates")]
#[cfg_attr(docsrs, doc(cfg(feature = "templates")))]
pub use templates::render_template;
#[cfg(feature = "test-client")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-client")))]
pub use test_client::{TestClient, TestRequest, TestResponse};

pub use bytes::Bytes;
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
    pub use crate::endpoint::{FromParam, Reply, RouteInfo, RouteParams};
    pub use crate::routing::url;
    pub use crate::Endpoint;
    pub use phial_macros::url_for;

    /// A handler as a shareable trait object, for [`routes!`](crate::routes).
    pub fn endpoint(endpoint: impl crate::Endpoint) -> std::sync::Arc<dyn crate::Endpoint> {
        std::sync::Arc::new(endpoint)
    }
}
