//! `Json<T>` as an argument: the request body parsed as JSON.

use serde::de::DeserializeOwned;

use super::{FromRequest, RequestCx};
use crate::{Json, JsonError};

/// The body as JSON, as [`Request::json`](crate::Request::json) reads it:
/// `415` for another `Content-Type`, `400` naming the missing or bad
/// field.
///
/// ```
/// use phial::prelude::*;
///
/// #[derive(serde::Deserialize)]
/// struct NewTodo {
///     title: String,
/// }
///
/// #[post("/todos")]
/// fn create(Json(todo): Json<NewTodo>) -> String {
///     format!("created {}", todo.title)
/// }
/// ```
impl<'a, T: DeserializeOwned + Send + 'a> FromRequest<'a> for Json<T> {
    type Rejection = JsonError;

    async fn from_request(cx: RequestCx<'a>) -> Result<Self, JsonError> {
        cx.request().json().map(Json)
    }
}
