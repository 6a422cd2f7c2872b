//! Form data: `request.form` (URL-encoded and multipart fields), as Flask
//! has it. Multipart bodies and their files are in [`crate::multipart`].

use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use bytes::Bytes;
use http::HeaderValue;

use crate::params::{parse_urlencoded, Params};

/// At most this many fields are parsed from one form body.
pub(crate) const MAX_FIELDS: usize = 1000;

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
}

impl Form {
    fn lazy(source: FormSource) -> Self {
        Self {
            source,
            parsed: OnceLock::new(),
        }
    }

    #[cfg(feature = "multipart")]
    fn parsed(fields: Params) -> Self {
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
                parse_urlencoded(&String::from_utf8_lossy(body), MAX_FIELDS)
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
pub(crate) use crate::multipart::Files;
#[cfg(not(feature = "multipart"))]
pub(crate) type Files = ();

/// Reads the form and files of a request body according to its
/// `Content-Type` (the header's first value). A malformed multipart body
/// is an error (400); without the `multipart` feature, a multipart body
/// leaves the form empty.
pub(crate) fn read(
    content_type: Option<&HeaderValue>,
    body: &Bytes,
) -> Result<(Form, Files), crate::Error> {
    let content_type = content_type
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Ok((
            Form::lazy(FormSource::UrlEncoded(body.clone())),
            Files::default(),
        ));
    }
    #[cfg(feature = "multipart")]
    if essence.eq_ignore_ascii_case("multipart/form-data") {
        let (fields, files) = crate::multipart::read(content_type, body.clone())?;
        return Ok((Form::parsed(fields), files));
    }
    Ok((Form::lazy(FormSource::None), Files::default()))
}
