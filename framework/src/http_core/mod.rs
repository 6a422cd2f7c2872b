//! The HTTP core: the request, the response, cookies, query and form
//! parameters, multipart bodies (and uploads spooled to disk), escaping, URL building, route patterns,
//! errors, the secret keys and the session's data. It knows nothing of the
//! app, the server or the web parts built on it.

pub mod cookies;
pub(crate) mod error;
mod error_response;
pub(crate) mod escape;
#[cfg(any(feature = "forms", feature = "json"))]
pub(crate) mod field_error;
pub(crate) mod form;
pub(crate) mod forwarded;
mod forwarded_parse;
pub(crate) mod g;
#[cfg(feature = "json")]
pub(crate) mod json;
#[cfg(feature = "multipart")]
pub(crate) mod multipart;
pub(crate) mod params;
pub mod pattern;
pub(crate) mod request;
pub(crate) mod response;
#[cfg(feature = "sessions")]
pub(crate) mod secret;
#[cfg(not(feature = "sessions"))]
#[path = "no_secret.rs"]
pub(crate) mod secret;
#[cfg(feature = "sessions")]
pub(crate) mod session;
#[cfg(feature = "multipart")]
pub(crate) mod spooled;
pub mod sse;
#[cfg(feature = "multipart")]
pub(crate) mod upload;
pub(crate) mod url;
#[cfg(all(test, feature = "logging"))]
pub(crate) mod written;
