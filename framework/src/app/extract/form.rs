//! `Form<T>`: the form fields of a `POST` into a serde struct.

use std::fmt;

use http::header::CONTENT_TYPE;
use http::StatusCode;
use serde::de::DeserializeOwned;

use super::{FromRequest, RequestCx};
use crate::{IntoResponse, Response};

/// The form fields of a request body (`application/x-www-form-urlencoded`
/// or `multipart/form-data`) as a serde struct: a handler parameter
/// `form: Form<Login>` (or `Form(login): Form<Login>`).
///
/// A field that is missing or doesn't parse (`age=abc` for a `u32`) is
/// answered `400 Bad Request` with a message naming it; a body that isn't
/// a form, `415`. A key given several times fills a `Vec` field. Uploaded
/// files stay in [`request.files`](crate::Request::files).
///
/// Not to be confused with [`phial::Form`](crate::Form), the untyped
/// `request.form` map, which it reads multipart fields from.
///
/// ```
/// use phial::prelude::*;
/// use phial::extract::Form;
///
/// #[derive(serde::Deserialize)]
/// struct Login {
///     username: String,
///     remember: Option<String>,
/// }
///
/// #[post("/login")]
/// fn login(Form(login): Form<Login>) -> String {
///     format!("Welcome, {}!", login.username)
/// }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Form<T>(pub T);

impl<'a, T: DeserializeOwned + Send + 'a> FromRequest<'a> for Form<T> {
    type Rejection = FormError;

    async fn from_request(cx: RequestCx<'a>) -> Result<Self, FormError> {
        let request = cx.request();
        let content_type = request.header(CONTENT_TYPE).unwrap_or("");
        let essence = content_type.split(';').next().unwrap_or("").trim();
        if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            let body = request.body();
            let fields = body.iter().filter(|&&byte| byte == b'&').count() + 1;
            if fields > crate::http_core::params::MAX_FORM_FIELDS {
                return Err(FormError::new(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "invalid form: more than {} fields",
                        crate::http_core::params::MAX_FORM_FIELDS
                    ),
                ));
            }
            return parse(body, "form").map(Form);
        }
        if cfg!(feature = "multipart") && essence.eq_ignore_ascii_case("multipart/form-data") {
            // Its fields are parsed already: encode them again for serde.
            let mut encoded = form_urlencoded::Serializer::new(String::new());
            encoded.extend_pairs(request.form.iter());
            return parse(encoded.finish().as_bytes(), "form").map(Form);
        }
        Err(FormError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "expected a form body with Content-Type: application/x-www-form-urlencoded \
                 or multipart/form-data, got {}",
                if content_type.is_empty() {
                    "no Content-Type"
                } else {
                    content_type
                }
            ),
        ))
    }
}

/// Deserializes URL-encoded `input`; `what` names it in the error.
pub(super) fn parse<T: DeserializeOwned>(input: &[u8], what: &str) -> Result<T, FormError> {
    let deserializer = serde_html_form::Deserializer::from_bytes(input);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        FormError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "invalid {what}: {}",
                crate::http_core::field_error::describe(&error)
            ),
        )
    })
}

/// Why a [`Form`] or [`Query`](super::Query) argument could not be built;
/// as a response, a plain-text `400 Bad Request` (or `415`) that says
/// which field was missing or bad.
#[derive(Debug)]
pub struct FormError {
    status: StatusCode,
    message: String,
}

impl FormError {
    fn new(status: StatusCode, message: String) -> Self {
        tracing::info!("refused a request: {message}");
        Self { status, message }
    }

    /// The status the error is answered with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FormError {}

impl IntoResponse for FormError {
    fn into_response(self) -> Response {
        (self.status, self.message).into_response()
    }
}
