//! What a handler may return.

use std::borrow::Cow;

use bytes::Bytes;
use http::header::HeaderValue;
use http::StatusCode;

use super::{error_page, Body, Response, TEXT_HTML};

const OCTET_STREAM: HeaderValue = HeaderValue::from_static("application/octet-stream");

/// Anything a handler may return: it becomes the response.
///
/// | type | response |
/// |---|---|
/// | `&'static str`, `String`, `Cow<'static, str>` | 200, `text/html; charset=utf-8` (as Flask) |
/// | `Vec<u8>`, `Bytes`, `&'static [u8]` | 200, `application/octet-stream` |
/// | `Response` | itself |
/// | `StatusCode` | that status with its error page (or empty for non-errors) |
/// | `(StatusCode, T)` | `T`'s response with that status |
/// | `()` | an empty 200 |
/// | `Option<T>` | `T`'s response, or the 404 page for `None` |
/// | `Result<T, E>` | `T`'s or `E`'s response; for an `E` that is no response but any error (`std::io::Error`, `sqlx::Error`, ...), as [`phial::Error`](crate::Error) answers it |
/// | [`phial::Error`](crate::Error) | an abort's page, or a 500 that logs the error |
///
/// For errors, a handler returns `Result<T, E>` with any error type `E`
/// (a route macro's handler; not through this trait, which Rust's rules
/// keep from covering every error type), or `Result<T, phial::Error>`,
/// into which `?` converts any error (see [`Error`](crate::Error)).
///
/// ```
/// use phial::prelude::*;
///
/// #[route("/teapot")]
/// fn teapot() -> (StatusCode, &'static str) {
///     (StatusCode::IM_A_TEAPOT, "short and stout")
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` can't be turned into a response",
    label = "a handler must return a type that implements `IntoResponse`",
    note = "return `&'static str`, `String`, `Response`, `(StatusCode, body)`, `Vec<u8>`, `Bytes`, \
            `StatusCode`, `()`, `Option<T>` or `Result<T, E>` of those",
    note = "for other values, build the body yourself, as in `value.to_string()`, or wrap \
            serializable data in `Json(value)`",
    note = "for errors, return `Result<T, E>` with any error type `E`, or `Result<T, phial::Error>`: `?` converts any error into it"
)]
pub trait IntoResponse {
    /// Makes the response.
    fn into_response(self) -> Response;
}

impl IntoResponse for Response {
    fn into_response(self) -> Response {
        self
    }
}

fn html(body: Body) -> Response {
    Response::from_parts(StatusCode::OK, Some(TEXT_HTML), body)
}

fn binary(body: Body) -> Response {
    Response::from_parts(StatusCode::OK, Some(OCTET_STREAM), body)
}

impl IntoResponse for &'static str {
    fn into_response(self) -> Response {
        html(self.into())
    }
}

impl IntoResponse for String {
    fn into_response(self) -> Response {
        html(self.into())
    }
}

impl IntoResponse for Cow<'static, str> {
    fn into_response(self) -> Response {
        match self {
            Cow::Borrowed(text) => text.into_response(),
            Cow::Owned(text) => text.into_response(),
        }
    }
}

impl IntoResponse for Vec<u8> {
    fn into_response(self) -> Response {
        binary(self.into())
    }
}

impl IntoResponse for Bytes {
    fn into_response(self) -> Response {
        binary(self.into())
    }
}

impl IntoResponse for &'static [u8] {
    fn into_response(self) -> Response {
        binary(self.into())
    }
}

impl IntoResponse for () {
    fn into_response(self) -> Response {
        Response::from_parts(StatusCode::OK, None, Body::empty())
    }
}

impl IntoResponse for StatusCode {
    fn into_response(self) -> Response {
        if self.is_client_error() || self.is_server_error() {
            error_page(self)
        } else {
            Response::from_parts(self, None, Body::empty())
        }
    }
}

impl<T: IntoResponse> IntoResponse for (StatusCode, T) {
    fn into_response(self) -> Response {
        self.1.into_response().with_status(self.0)
    }
}

impl<T: IntoResponse> IntoResponse for Option<T> {
    fn into_response(self) -> Response {
        match self {
            Some(value) => value.into_response(),
            None => error_page(StatusCode::NOT_FOUND),
        }
    }
}

impl<T: IntoResponse, E: IntoResponse> IntoResponse for Result<T, E> {
    fn into_response(self) -> Response {
        match self {
            Ok(value) => value.into_response(),
            Err(error) => error.into_response(),
        }
    }
}
