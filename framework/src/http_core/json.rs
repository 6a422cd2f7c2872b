//! JSON in and out: `request.json::<T>()` and `Json(value)` responses.

use std::fmt;

use http::header::{HeaderValue, CONTENT_TYPE};
use http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::http_core::response::{error_page, Body};
use crate::{IntoResponse, Request, Response};

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// A JSON response: `Json(value)` serializes `value` with serde and sends it
/// as `application/json`.
///
/// ```
/// use phial::prelude::*;
/// use phial::Json;
///
/// #[derive(serde::Serialize)]
/// struct User {
///     name: String,
/// }
///
/// #[get("/me")]
/// fn me() -> Json<User> {
///     Json(User { name: "bob".into() })
/// }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(bytes) => {
                Response::from_parts(StatusCode::OK, Some(APPLICATION_JSON), Body::from(bytes))
            }
            Err(error) => {
                tracing::error!("the response value could not be serialized to JSON: {error}");
                error_page(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
impl IntoResponse for serde_json::Value {
    fn into_response(self) -> Response {
        Json(self).into_response()
    }
}

/// Why [`Request::json`] could not read the body; as a response, a `400 Bad
/// Request` (or `415`) that says what was wrong.
#[derive(Clone, Debug)]
pub struct JsonError {
    status: StatusCode,
    message: String,
}

impl JsonError {
    /// The status the error is answered with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        Json(body).into_response().with_status(self.status)
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
impl Request {
    /// The body parsed as JSON into `T`.
    ///
    /// # Errors
    ///
    /// A [`JsonError`] (which is a response: `?` in a handler answers with
    /// it) when the `Content-Type` is not JSON (`415`) or the body is not
    /// valid JSON for `T` (`400`, with serde's message and the path of the
    /// field it is about, as in ``invalid JSON body: `age`: invalid type``).
    ///
    /// ```
    /// use phial::prelude::*;
    /// use phial::{Json, JsonError};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Login {
    ///     user: String,
    /// }
    ///
    /// #[post("/login")]
    /// fn login(request: &Request) -> Result<String, JsonError> {
    ///     let login: Login = request.json()?;
    ///     Ok(format!("hello {}", login.user))
    /// }
    /// ```
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, JsonError> {
        let content_type = self.header(CONTENT_TYPE).unwrap_or("");
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence != "application/json" && !essence.ends_with("+json") {
            return Err(JsonError {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: format!(
                    "expected a JSON body with Content-Type: application/json, got {}",
                    if content_type.is_empty() {
                        "no Content-Type"
                    } else {
                        content_type
                    }
                ),
            });
        }
        let mut deserializer = serde_json::Deserializer::from_slice(self.body());
        let bad = |message: String| JsonError {
            status: StatusCode::BAD_REQUEST,
            message: format!("invalid JSON body: {message}"),
        };
        let value = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| bad(crate::http_core::field_error::describe(&error)))?;
        deserializer.end().map_err(|error| bad(error.to_string()))?;
        Ok(value)
    }
}
