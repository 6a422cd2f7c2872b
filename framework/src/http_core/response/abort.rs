//! Flask's `abort(404)`: leaving a handler early with an error status.

use std::fmt;

use http::StatusCode;

use super::error_page::{error_page, error_page_described};
use super::{IntoResponse, Response};

/// An HTTP error to answer with instead of the handler's normal response,
/// made by [`abort`]. As a response it is the status's error page, with
/// Werkzeug's text for the status or the [description](Abort::description)
/// given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Abort {
    status: StatusCode,
    description: Option<Box<str>>,
}

/// Leaves a handler with `status`, as Flask's `abort(status)`: return
/// `Err(abort(404))`, or use `?` on an `Option` or `Result` with
/// `.ok_or(abort(404))`.
///
/// # Panics
///
/// If `status` is a number that is not a status code (below 100 or above 999).
///
/// ```
/// use phial::prelude::*;
/// use phial::{abort, Abort};
///
/// #[get("/user/<int:id>")]
/// fn user(id: u32) -> Result<String, Abort> {
///     let name = ["ann", "bob"].get(id as usize).ok_or(abort(404))?;
///     if *name == "ann" {
///         return Err(abort(StatusCode::FORBIDDEN));
///     }
///     Ok(format!("Hello, {name}!"))
/// }
/// ```
pub fn abort<S>(status: S) -> Abort
where
    S: TryInto<StatusCode>,
    S::Error: fmt::Debug,
{
    let status = status
        .try_into()
        .unwrap_or_else(|e| panic!("abort needs an HTTP status code: {e:?}"));
    Abort {
        status,
        description: None,
    }
}

impl Abort {
    /// The status answered.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Says what went wrong on the error page, in place of Werkzeug's
    /// text for the status, as Flask's `abort(404, "Post id 7 doesn't
    /// exist.")`. The text is HTML-escaped as Werkzeug does it.
    ///
    /// ```
    /// use phial::prelude::*;
    /// use phial::{abort, Abort};
    ///
    /// #[get("/post/<int:id>")]
    /// fn post(id: u32) -> Result<String, Abort> {
    ///     Err(abort(404).description(format!("Post id {id} doesn't exist.")))
    /// }
    /// ```
    #[must_use = "the description is only shown when the `Abort` is returned"]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into().into_boxed_str());
        self
    }
}

impl fmt::Display for Abort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "aborted with {}", self.status)
    }
}

impl std::error::Error for Abort {}

impl IntoResponse for Abort {
    fn into_response(self) -> Response {
        match self.description {
            None => error_page(self.status),
            Some(text) => error_page_described(self.status, &text),
        }
    }
}
