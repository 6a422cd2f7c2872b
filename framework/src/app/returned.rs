//! A handler's `Result` as a response, whatever its error type: an error
//! that is a response (an [`Abort`](crate::Abort), the app's own error type
//! implementing [`IntoResponse`]) answers as itself; any other error
//! (`sqlx::Error`, `std::io::Error`, `minijinja::Error`, ...) answers as
//! [`phial::Error`](crate::Error) does, a 500 that logs it.
//!
//! Rust has no specialization, so the choice is made by method lookup on
//! the handler's concrete return type (autoref specialization): the route
//! macro calls `(&&&Returned::new(value)).__phial_respond()`, and lookup
//! tries each trait below in turn, the first whose bounds hold answering.

use std::cell::Cell;

use crate::{Error, IntoResponse, Response};

/// A handler's return value, for the lookup above.
#[doc(hidden)]
pub struct Returned<T>(Cell<Option<T>>);

impl<T> Returned<T> {
    /// Wraps the value.
    pub fn new(value: T) -> Self {
        Self(Cell::new(Some(value)))
    }

    fn take(&self) -> T {
        self.0
            .take()
            .expect("a handler's return value is answered once")
    }
}

/// First choice: the value is a response (as every non-`Result` return
/// type must be).
#[doc(hidden)]
pub trait RespondAsItself {
    fn __phial_respond(&self) -> Response;
}

impl<T: IntoResponse> RespondAsItself for &&Returned<T> {
    fn __phial_respond(&self) -> Response {
        self.take().into_response()
    }
}

/// Second choice: a `Result` whose error is any error `?` converts into
/// [`phial::Error`](crate::Error).
#[doc(hidden)]
pub trait RespondAsError {
    fn __phial_respond(&self) -> Response;
}

impl<T: IntoResponse, E: Into<Error>> RespondAsError for &Returned<Result<T, E>> {
    fn __phial_respond(&self) -> Response {
        match self.take() {
            Ok(value) => value.into_response(),
            Err(error) => error.into().into_response(),
        }
    }
}

/// Last: neither, which is the compile error `IntoResponse` explains (the
/// bound is on the method, so lookup picks this and the bound reports).
#[doc(hidden)]
pub trait RespondOtherwise {
    type Value;
    fn __phial_respond(&self) -> Response
    where
        Self::Value: IntoResponse;
}

impl<T> RespondOtherwise for Returned<T> {
    type Value = T;
    fn __phial_respond(&self) -> Response
    where
        T: IntoResponse,
    {
        self.take().into_response()
    }
}
