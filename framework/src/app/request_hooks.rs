//! `App`'s request hooks and error handlers, as Flask's `before_request`,
//! `after_request`, `teardown_request`, `teardown_appcontext` and
//! `errorhandler`; the start-up and shutdown hooks are in `lifecycle.rs`.

use std::fmt;
use std::sync::Arc;

use http::StatusCode;

use crate::app::hooks::{before_hook, error_handler};
use crate::{App, IntoResponse, Request, Response};

impl App {
    /// Runs `hook` before every request's handler, in registration order.
    /// If it returns `Some(response)`, that is the answer: the handler and
    /// the later before-hooks don't run (after-hooks still do).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let app = App::new().before_request(|request| {
    ///     let logged_in = request.cookies.contains("user");
    ///     (!logged_in && request.path().starts_with("/admin"))
    ///         .then(|| (StatusCode::UNAUTHORIZED, "log in first"))
    /// });
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn before_request<F, R>(mut self, hook: F) -> Self
    where
        F: Fn(&Request) -> Option<R> + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.inner_mut().hooks.before.push(before_hook(hook));
        self
    }

    /// Runs `hook` on every response before it is sent, in registration
    /// order: it may change it (add a header or a cookie, say). It runs for
    /// error pages too. If it panics, the response becomes the `500` page
    /// (the [`errorhandler`](Self::errorhandler)'s for 500, if any), which
    /// the later hooks see.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let app = App::new().after_request(|_request, response| {
    ///     response.set_header("X-Frame-Options", "DENY");
    /// });
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn after_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&Request, &mut Response) + Send + Sync + 'static,
    {
        self.inner_mut().hooks.after.push(Arc::new(hook));
        self
    }

    /// Runs `hook` at the very end of every request, even one whose handler
    /// or hooks panicked; the second argument is then the panic message.
    /// A handler that returned an error (an `Err`, an [`abort`](crate::abort),
    /// an error status) didn't fail: the argument is then `None`, as in
    /// Flask, where handled errors don't reach teardown functions.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let app = App::new().teardown_request(|request, panic| {
    ///     if let Some(message) = panic {
    ///         eprintln!("{} failed: {message}", request.path());
    ///     }
    /// });
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn teardown_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&Request, Option<&str>) + Send + Sync + 'static,
    {
        self.inner_mut().hooks.teardown.push(Arc::new(hook));
        self
    }

    /// Runs `hook` after every request's [teardown_request](Self::teardown_request)
    /// hooks, with the same argument: the panic message if the handler or a
    /// hook panicked, else `None`. Flask runs it when the app context ends;
    /// phial has one context per request, so it ends with the request. Use
    /// it to release what a request took from a shared resource (return a
    /// connection to its pool, say); a panic in it is logged and the next
    /// one runs.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let app = App::new().teardown_appcontext(|error| {
    ///     if let Some(message) = error {
    ///         eprintln!("rolling back: {message}");
    ///     }
    /// });
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn teardown_appcontext<F>(mut self, hook: F) -> Self
    where
        F: Fn(Option<&str>) + Send + Sync + 'static,
    {
        self.inner_mut()
            .hooks
            .teardown_appcontext
            .push(Arc::new(hook));
        self
    }

    /// Renders the page for error `status` (404, 405, a 500 after a panic,
    /// an [`abort`](crate::abort), ...) with `handler`, as Flask's
    /// `errorhandler`. The page keeps the error's status unless the handler
    /// sets another one. Responses a handler built itself with an error
    /// status are sent as they are.
    ///
    /// # Panics
    ///
    /// If `status` is not a status code (below 100 or above 999).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let app = App::new().errorhandler(404, |request, _status| {
    ///     format!("<h1>No {} here</h1>", phial::escape(request.path()))
    /// });
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn errorhandler<S, F, R>(mut self, status: S, handler: F) -> Self
    where
        S: TryInto<StatusCode>,
        S::Error: fmt::Debug,
        F: Fn(&Request, StatusCode) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        let (status, handler) = error_handler(status, handler);
        self.inner_mut()
            .hooks
            .error_handlers
            .insert(status, handler);
        self
    }
}
