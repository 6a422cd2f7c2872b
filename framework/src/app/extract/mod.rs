//! Typed handler arguments: a handler parameter that is neither a route
//! variable nor the `&Request` is an *extractor*, a type that implements
//! [`FromRequest`]. phial builds it from the request (and the app's state)
//! before the handler runs; it may answer instead of the handler (a
//! rejection: a 400 for a bad form, a redirect to the login page).
//!
//! ```
//! use phial::prelude::*;
//! use phial::extract::State;
//!
//! struct Greeting(&'static str);
//!
//! #[get("/hello/<name>")]
//! fn hello(name: &str, greeting: &State<Greeting>) -> String {
//!     format!("{}, {name}!", greeting.0)
//! }
//!
//! let app = App::new().state(Greeting("Hello")).route(hello);
//! ```
//!
//! Built in: [`&State<T>`](State) (app state registered with
//! [`App::state`](crate::App::state)), [`Form<T>`] and [`Query<T>`] (with
//! the `forms` feature) and [`Json<T>`](crate::Json) (with `json`).
//! An app or a crate adds its own by implementing [`FromRequest`].
//!
//! One trait, not axum's two (`FromRequestParts` for the head,
//! `FromRequest` for the body): phial reads the whole body before the
//! handler runs, so any number of extractors may read it.

#[cfg(feature = "forms")]
mod form;
#[cfg(feature = "json")]
mod json;
#[cfg(feature = "forms")]
mod query;
mod state;

use std::fmt;
use std::future::Future;

#[cfg(feature = "forms")]
#[cfg_attr(docsrs, doc(cfg(feature = "forms")))]
pub use form::{Form, FormError};
#[cfg(feature = "forms")]
#[cfg_attr(docsrs, doc(cfg(feature = "forms")))]
pub use query::Query;
pub use state::State;
pub(crate) use state::StateMap;

#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub use crate::Json;
use crate::{IntoResponse, Request};

/// A type a handler can take as a parameter: phial builds it from the
/// request before calling the handler.
///
/// `from_request` may be `async` (a database look-up) or not (write an
/// `async fn` that never awaits); it fails with a [`Rejection`](Self::Rejection),
/// any response, which is sent instead of calling the handler. `check` runs
/// once when the app starts, for every handler that takes the type: an
/// error there stops the app from starting, with a message naming the
/// handler and the parameter.
///
/// A guard in the style of Flask's `login_required`: a handler that takes
/// `CurrentUser` only runs for a logged-in user; anyone else is redirected
/// to the login page.
///
/// ```
/// use phial::prelude::*;
/// use phial::extract::{FromRequest, RequestCx};
///
/// struct CurrentUser {
///     name: String,
/// }
///
/// impl<'a> FromRequest<'a> for CurrentUser {
///     type Rejection = Response;
///
///     async fn from_request(cx: RequestCx<'a>) -> Result<Self, Response> {
///         match cx.request().session.get_as::<String>("user") {
///             Some(name) => Ok(CurrentUser { name }),
///             None => Err(redirect("/auth/login")),
///         }
///     }
/// }
///
/// #[get("/profile")]
/// fn profile(user: CurrentUser) -> String {
///     format!("Hello, {}", user.name)
/// }
///
/// let app = App::new().route(profile);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` can't be a handler parameter",
    label = "not a route variable, `&Request`, nor a type that implements `FromRequest`",
    note = "a handler takes route variables (by name), `&Request`, and types that implement \
            `phial::extract::FromRequest`: `&State<T>` for app state, `Form<T>`, `Query<T>`, \
            `Json<T>`, or your own (see the `phial::extract` docs)"
)]
pub trait FromRequest<'a>: Sized {
    /// What is sent instead of the handler's response when the value
    /// can't be built.
    type Rejection: IntoResponse;

    /// Builds the value for one request, or refuses it.
    fn from_request(
        cx: RequestCx<'a>,
    ) -> impl Future<Output = Result<Self, Self::Rejection>> + Send + 'a;

    /// Checks, once when the app starts, that the app provides what the
    /// type needs (state it reads, say). The error says what is missing and
    /// how to add it; phial prefixes it with the handler and parameter.
    ///
    /// # Errors
    ///
    /// A message when the app can't serve this parameter: the app then
    /// refuses to start ([`App::run`](crate::App::run) returns it,
    /// [`App::test_client`](crate::App::test_client) panics with it).
    fn check(app: &AppCheck<'_>) -> Result<(), String> {
        let _ = app;
        Ok(())
    }
}

/// What an extractor is built from: the request and the app's state.
#[derive(Clone, Copy)]
pub struct RequestCx<'a> {
    request: &'a Request,
    state: &'a StateMap,
}

impl<'a> RequestCx<'a> {
    pub(crate) fn new(request: &'a Request, state: &'a StateMap) -> Self {
        Self { request, state }
    }

    /// The request.
    pub fn request(&self) -> &'a Request {
        self.request
    }

    /// The app state of type `T` registered with
    /// [`App::state`](crate::App::state), if any. Declare it in
    /// [`FromRequest::check`] with [`AppCheck::require_state`] so that an
    /// app without it refuses to start.
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<&'a State<T>> {
        self.state.get::<T>()
    }
}

impl fmt::Debug for RequestCx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestCx")
            .field("request", self.request)
            .finish_non_exhaustive()
    }
}

/// What [`FromRequest::check`] sees of the app when it starts.
pub struct AppCheck<'a> {
    state: &'a StateMap,
}

impl<'a> AppCheck<'a> {
    pub(crate) fn new(state: &'a StateMap) -> Self {
        Self { state }
    }

    /// Whether state of type `T` was registered.
    pub fn has_state<T: Send + Sync + 'static>(&self) -> bool {
        self.state.get::<T>().is_some()
    }

    /// `Ok` if state of type `T` was registered, else the message that
    /// says how to register it.
    ///
    /// # Errors
    ///
    /// When no `T` was registered.
    pub fn require_state<T: Send + Sync + 'static>(&self) -> Result<(), String> {
        if self.has_state::<T>() {
            return Ok(());
        }
        let full = std::any::type_name::<T>();
        let short = short_type_name(full);
        Err(format!(
            "no `{short}` was registered (`{full}`): add `.state({short} {{ ... }})` \
             (any value of that type) to the app"
        ))
    }
}

impl fmt::Debug for AppCheck<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCheck").finish_non_exhaustive()
    }
}

/// `Db` for `my_app::db::Db`, `Vec<Todo>` for `alloc::vec::Vec<my_app::Todo>`.
fn short_type_name(full: &str) -> String {
    let mut short = String::with_capacity(full.len());
    let mut segment_start = 0;
    for (index, c) in full.char_indices() {
        if c == ':' {
            segment_start = index + 1;
        } else if !(c.is_alphanumeric() || c == '_') {
            short.push_str(&full[segment_start..index]);
            short.push(c);
            segment_start = index + 1;
        }
    }
    short.push_str(&full[segment_start..]);
    short
}

/// One extractor parameter of a handler, recorded by the route macros for
/// the start check.
#[doc(hidden)]
#[derive(Debug)]
pub struct ExtractorInfo {
    /// The parameter as written (`db`, `Form(login)`).
    pub parameter: &'static str,
    /// Its type as written (`&State<Db>`).
    pub ty: &'static str,
    /// The type's [`FromRequest::check`].
    pub check: fn(&AppCheck<'_>) -> Result<(), String>,
}

/// Every problem the start check finds, one line each, or `Ok`.
pub(crate) fn check_app<'a>(
    routes: impl Iterator<Item = &'static [ExtractorInfo]>,
    names: impl Iterator<Item = &'a str>,
    state: &StateMap,
) -> Result<(), String> {
    let app = AppCheck::new(state);
    let mut problems = Vec::new();
    for (extractors, name) in routes.zip(names) {
        for extractor in extractors {
            if let Err(message) = (extractor.check)(&app) {
                problems.push(format!(
                    "handler `{name}` takes `{}: {}`, but {message}",
                    extractor.parameter, extractor.ty
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::short_type_name;

    #[test]
    fn short_type_names_drop_the_paths() {
        assert_eq!(short_type_name("app::db::Db"), "Db");
        assert_eq!(short_type_name("alloc::vec::Vec<app::Todo>"), "Vec<Todo>");
        assert_eq!(short_type_name("(u8, std::string::String)"), "(u8, String)");
    }
}
