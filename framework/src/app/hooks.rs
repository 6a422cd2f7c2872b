//! The hooks an app or blueprint keeps: request hooks, error handlers,
//! as the dispatcher runs them. `App`'s methods that register them are in
//! `request_hooks.rs`, a blueprint's in `blueprint.rs`; the start-up and
//! shutdown hooks are in `lifecycle.rs`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use http::StatusCode;

use crate::{IntoResponse, Request, Response};

pub(crate) type BeforeHook = Arc<dyn Fn(&Request) -> Option<Response> + Send + Sync>;
pub(crate) type AfterHook = Arc<dyn Fn(&Request, &mut Response) + Send + Sync>;
pub(crate) type TeardownHook = Arc<dyn Fn(&Request, Option<&str>) + Send + Sync>;
pub(crate) type AppContextTeardownHook = Arc<dyn Fn(Option<&str>) + Send + Sync>;
pub(crate) type ErrorHandler = Arc<dyn Fn(&Request, StatusCode) -> Response + Send + Sync>;

/// A before-request hook from the closure an app or blueprint was given.
pub(crate) fn before_hook<F, R>(hook: F) -> BeforeHook
where
    F: Fn(&Request) -> Option<R> + Send + Sync + 'static,
    R: IntoResponse,
{
    Arc::new(move |request| hook(request).map(R::into_response))
}

/// An error handler for `status` from the closure an app or blueprint was
/// given: the page keeps the error's status unless the handler sets one.
///
/// # Panics
///
/// If `status` is not a status code (below 100 or above 999).
pub(crate) fn error_handler<S, F, R>(status: S, handler: F) -> (StatusCode, ErrorHandler)
where
    S: TryInto<StatusCode>,
    S::Error: fmt::Debug,
    F: Fn(&Request, StatusCode) -> R + Send + Sync + 'static,
    R: IntoResponse,
{
    let status = status
        .try_into()
        .unwrap_or_else(|e| panic!("errorhandler needs an HTTP status code: {e:?}"));
    let handler: ErrorHandler = Arc::new(move |request, status| {
        let mut response = handler(request, status).into_response();
        if response.status() == StatusCode::OK {
            response.set_status(status);
        }
        response
    });
    (status, handler)
}

/// Every hook an app registered, in registration order.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) before: Vec<BeforeHook>,
    pub(crate) after: Vec<AfterHook>,
    pub(crate) teardown: Vec<TeardownHook>,
    pub(crate) teardown_appcontext: Vec<AppContextTeardownHook>,
    pub(crate) error_handlers: HashMap<StatusCode, ErrorHandler>,
}

impl Hooks {
    /// Adds `other`'s hooks after these (its error handlers replace these'
    /// for the same status).
    pub(crate) fn extend(&mut self, other: Hooks) {
        self.before.extend(other.before);
        self.after.extend(other.after);
        self.teardown.extend(other.teardown);
        self.teardown_appcontext.extend(other.teardown_appcontext);
        self.error_handlers.extend(other.error_handlers);
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut statuses: Vec<u16> = self.error_handlers.keys().map(StatusCode::as_u16).collect();
        statuses.sort_unstable();
        f.debug_struct("Hooks")
            .field("before", &self.before.len())
            .field("after", &self.after.len())
            .field("teardown", &self.teardown.len())
            .field("teardown_appcontext", &self.teardown_appcontext.len())
            .field("error_handlers", &statuses)
            .finish()
    }
}

/// What an app keeps of a registered blueprint to answer its requests.
#[derive(Clone, Debug)]
pub(crate) struct Registered {
    pub(crate) name: String,
    pub(crate) hooks: Hooks,
    /// The URL path of its static files (`/auth/static`), if it has a
    /// folder of them (for `routes` on the command line).
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub(crate) static_url_path: Option<String>,
    /// Whether its routes are exempt from cross-origin protection.
    pub(crate) csrf_exempt: bool,
}
