//! Form data: `request.form` (URL-encoded and multipart fields), as Flask
//! has it, parsed when first read. Multipart bodies and their files are in
//! [`crate::multipart`].

use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use bytes::Bytes;
use http::HeaderValue;

use crate::http_core::params::{parse_urlencoded, Params, MAX_FORM_FIELDS};

/// The form fields of a `POST`: a [`Params`] parsed from an
/// `application/x-www-form-urlencoded` body on first use, or from a
/// `multipart/form-data` body (whose files are in
/// [`request.files`](crate::Request::files)).
///
/// ```
/// use phial::prelude::*;
///
/// #[route("/login", methods = ["GET", "POST"])]
/// fn login(request: &Request) -> String {
///     if request.method() == "POST" {
///         format!("Welcome, {}!", request.form.get("username", "stranger"))
///     } else {
///         "<form method=post><input name=username></form>".to_owned()
///     }
/// }
/// ```
pub struct Form {
    source: FormSource,
    parsed: OnceLock<Params>,
}

enum FormSource {
    None,
    UrlEncoded(Bytes),
    /// The `Content-Type` (with its boundary) and the body.
    #[cfg(feature = "multipart")]
    Multipart(HeaderValue, Bytes),
}

impl Form {
    fn lazy(source: FormSource) -> Self {
        Self {
            source,
            parsed: OnceLock::new(),
        }
    }

    /// Fields already parsed (from a multipart body parsed as it arrived).
    #[cfg(feature = "multipart")]
    pub(crate) fn parsed(fields: Params) -> Self {
        Self {
            source: FormSource::None,
            parsed: OnceLock::from(fields),
        }
    }
}

impl Deref for Form {
    type Target = Params;

    fn deref(&self) -> &Params {
        self.parsed.get_or_init(|| match &self.source {
            FormSource::UrlEncoded(body) => {
                parse_urlencoded(&String::from_utf8_lossy(body), MAX_FORM_FIELDS)
            }
            #[cfg(feature = "multipart")]
            FormSource::Multipart(content_type, body) => {
                crate::http_core::multipart::fields(content_type, body)
            }
            FormSource::None => Params::new(),
        })
    }
}

impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// The files of a request body: none without the `multipart` feature.
#[cfg(feature = "multipart")]
pub(crate) use crate::http_core::multipart::Files;
#[cfg(not(feature = "multipart"))]
pub(crate) type Files = ();

/// The form and files of a request body according to its `Content-Type`
/// (the header's first value), each parsed when first read. A malformed
/// multipart body reads as an empty form without files (as Werkzeug's),
/// with a log line; without the `multipart` feature, a multipart body
/// leaves the form empty.
pub(crate) fn read(content_type: Option<&HeaderValue>, body: &Bytes) -> (Form, Files) {
    let text = content_type
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let essence = text.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return (
            Form::lazy(FormSource::UrlEncoded(body.clone())),
            Files::default(),
        );
    }
    #[cfg(feature = "multipart")]
    if let Some(content_type) = content_type {
        if essence.eq_ignore_ascii_case("multipart/form-data") {
            let source = FormSource::Multipart(content_type.clone(), body.clone());
            let files = Files::lazy(content_type.clone(), body.clone());
            return (Form::lazy(source), files);
        }
    }
    (Form::lazy(FormSource::None), Files::default())
}
