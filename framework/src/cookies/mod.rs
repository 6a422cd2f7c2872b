//! Cookies: reading the `Cookie` header (`request.cookies`) and writing
//! `Set-Cookie` headers (`response.set_cookie`).

mod parse;
mod set;

pub use parse::Cookies;
pub(crate) use set::write_set_cookie_headers;
pub use set::SetCookie;

/// The `SameSite` attribute of a cookie.
pub use cookie::SameSite;
