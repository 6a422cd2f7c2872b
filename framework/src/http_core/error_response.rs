//! [`Error`] as a response: what a handler's `Err(error)` answers. Apart
//! from `error.rs`, which knows nothing of responses, so the response types
//! can carry an error without the two needing each other.

use http::StatusCode;

use super::response::{error_page, Abort, IntoResponse, Response};
use crate::Error;

impl Error {
    /// The HTTP status this error answers with: an abort's status, a
    /// `request.json()` error's 400 or 415, 400 for a request phial
    /// couldn't read, else 500.
    ///
    /// ```
    /// use phial::{abort, Error, StatusCode};
    ///
    /// assert_eq!(Error::from(abort(403)).status(), StatusCode::FORBIDDEN);
    /// assert_eq!(Error::msg("oops").status(), StatusCode::INTERNAL_SERVER_ERROR);
    /// ```
    pub fn status(&self) -> StatusCode {
        if let Some(abort) = self.downcast_ref::<Abort>() {
            return abort.status();
        }
        #[cfg(feature = "json")]
        if let Some(json) = self.downcast_ref::<crate::JsonError>() {
            return json.status();
        }
        if self.is_bad_request() {
            return StatusCode::BAD_REQUEST;
        }
        StatusCode::INTERNAL_SERVER_ERROR
    }
}

impl IntoResponse for Error {
    /// An abort's page, a `request.json()` error's answer, 400 for a
    /// request phial couldn't read, else the 500 page, carrying the error
    /// for the app to log (it knows the request).
    fn into_response(self) -> Response {
        if let Some(abort) = self.downcast_ref::<Abort>() {
            return abort.clone().into_response();
        }
        #[cfg(feature = "json")]
        if let Some(json) = self.downcast_ref::<crate::JsonError>() {
            return json.clone().into_response();
        }
        if self.is_bad_request() {
            return error_page(StatusCode::BAD_REQUEST);
        }
        let mut response = error_page(StatusCode::INTERNAL_SERVER_ERROR);
        response.error = Some(Box::new(self));
        response
    }
}
