//! Cookies: reading the `Cookie` header ([`request.cookies`](crate::Request::cookies)),
//! writing `Set-Cookie` headers ([`Response::set_cookie`](crate::Response::set_cookie))
//! and removing cookies ([`Response::delete_cookie`](crate::Response::delete_cookie)).
//!
//! ```
//! use phial::prelude::*;
//!
//! #[route("/")]
//! fn index(request: &Request) -> Response {
//!     let visits = request.cookies.get("visits", 0u32) + 1;
//!     let mut response = make_response(format!("Visit number {visits}"));
//!     response.set_cookie("visits", visits.to_string()).max_age(86_400);
//!     response
//! }
//!
//! #[route("/forget")]
//! fn forget() -> Response {
//!     let mut response = make_response("Forgotten");
//!     response.delete_cookie("visits");
//!     response
//! }
//! ```

mod arguments;
mod check;
mod encoding;
mod format;
#[cfg(feature = "test-client")]
pub(crate) mod jar;
#[cfg(feature = "test-client")]
mod jar_parse;
#[cfg(feature = "test-client")]
pub(crate) mod jar_url;
mod kind;
mod lines;
mod parse;
mod registry;
mod request_cookies;
#[cfg(feature = "sessions")]
pub(crate) mod secure;
#[cfg(not(feature = "sessions"))]
#[path = "unsealed.rs"]
pub(crate) mod secure;
mod set;
mod write;

pub(crate) use arguments::cookie_text;
pub use arguments::{CookieText, MaxAge, OptionalText};
pub(crate) use lines::CookieLines;
#[cfg(feature = "fuzzing")]
pub(crate) use parse::parse_headers;
pub use parse::MAX_PAIRS;
pub(crate) use registry::CookieRegistry;
pub use request_cookies::Cookies;
#[cfg(feature = "sessions")]
#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
pub use secure::PrivateDefault;
pub use set::SetCookie;
pub(crate) use write::write_set_cookie_headers;

/// The `SameSite` attribute of a cookie: `Strict`, `Lax` or `None`.
pub use cookie::SameSite;
