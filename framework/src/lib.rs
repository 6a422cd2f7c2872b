// phial: Flask's ergonomics, Rust's speed and safety. The crate's
// documentation is in lib.md; the four layers of framework/src (http_core,
// server, web, app) are described in ARCHITECTURE.md at the repository's
// root.

#![doc = include_str!("lib.md")]
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
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub use app::tower::{Layered, RemoteAddr};
#[cfg(feature = "sessions")]
#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
pub use http_core::cookies::PrivateDefault;
pub use http_core::cookies::{
    self, CookieText, Cookies, MaxAge, OptionalText, SameSite, SetCookie,
};
pub use http_core::error::Error;
pub use http_core::escape::escape;
pub use http_core::form::Form;
pub use http_core::forwarded::ProxyFix;
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
pub use http_core::sse;
#[cfg(feature = "compression")]
#[cfg_attr(docsrs, doc(cfg(feature = "compression")))]
pub use web::compression::{compression, Compressible, MIN_COMPRESS_SIZE};
#[cfg(feature = "passwords")]
#[cfg_attr(docsrs, doc(cfg(feature = "passwords")))]
pub use web::security::{
    self as security, check_password_hash, check_password_hash_async, generate_password_hash,
    generate_password_hash_async, generate_password_hash_with,
};
#[cfg(feature = "sessions")]
#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
pub use web::sessions::{
    csrf_token, flash, flash_with_category, get_flashed_messages,
    get_flashed_messages_with_categories, Session, SessionDefault,
};
pub use web::static_files::{safe_join, send_file, send_from_directory};
#[cfg(feature = "templates")]
#[cfg_attr(docsrs, doc(cfg(feature = "templates")))]
pub use web::templates::{render_template, DateTime, DateTimeError};

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
/// A UUID, for `<uuid:name>` route variables (the `uuid` crate's).
#[cfg(feature = "uuid")]
#[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
pub use uuid::Uuid;

pub use phial_macros::main;
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
/// A handler registered through a [`Blueprint`] gets the blueprint's URL
/// prefix (`url_for!(auth::login)` is `/auth/login`), read from the app
/// answering the current request; outside a request's handling (where
/// Flask's `url_for` needs an app context) the URL is the route's own
/// pattern, without a prefix. The request's
/// [script root](Request::script_root) (the prefix a trusted proxy mounts
/// the app under) comes first, and `_external = true` writes the scheme
/// and host too (`https://example.com/user/42`), as Flask's `_external`.
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
    pub use crate::extract::State;
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
    pub use crate::__discoverable as discoverable;
    pub use crate::app::discover::{run_main, Discovered};
    pub use inventory;
    #[cfg(feature = "templates")]
    pub use minijinja;
    /// The runtime half of `url_for!`.
    pub mod url {
        pub use crate::http_core::url::{push_path, push_query, push_segment};
        pub use crate::web::current::{mounted, mounted_external};
    }
    pub use crate::app::endpoint::{
        into_response, into_response_async, FromParam, Reply, RouteInfo, RouteParams,
    };
    pub use crate::app::extract::{ExtractorInfo, FromRequest, RequestCx};
    /// A handler's `Result` as a response, whatever its error type.
    pub mod returned {
        pub use crate::app::returned::{
            RespondAsError, RespondAsItself, RespondOtherwise, Returned,
        };
    }
    pub use crate::Endpoint;
    pub use phial_macros::url_for;

    /// A handler as a shareable trait object, for [`routes!`](crate::routes).
    pub fn endpoint(endpoint: impl crate::Endpoint) -> std::sync::Arc<dyn crate::Endpoint> {
        std::sync::Arc::new(endpoint)
    }
}
