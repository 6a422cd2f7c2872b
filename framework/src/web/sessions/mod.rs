//! Sessions: values that follow one user from request to request, kept in a
//! cookie signed with the app's secret key (as Flask's `session`) or on the
//! server (Redis, memory) under an id the signed cookie holds, and flashed
//! messages on top of them.
//!
//! The browser can read the session cookie but not change it: a value that
//! was tampered with, truncated, signed with an unknown key, or older than
//! the [session lifetime](crate::App::permanent_session_lifetime) reads as an
//! empty session. Since everything lives in the cookie, any number of app
//! instances sharing the secret key serve the same users.
//!
//! ```
//! use phial::prelude::*;
//!
//! #[route("/login", methods = ["POST"])]
//! fn login(request: &Request) -> Response {
//!     request.session.insert("username", request.form.get("username", ""));
//!     redirect("/")
//! }
//!
//! #[route("/")]
//! fn index(request: &Request) -> String {
//!     match request.session.get("username", None::<String>) {
//!         Some(username) => format!("Logged in as {username}"),
//!         None => "You are not logged in".to_owned(),
//!     }
//! }
//!
//! #[route("/logout")]
//! fn logout(request: &Request) -> Response {
//!     request.session.remove("username");
//!     redirect("/")
//! }
//! ```

mod backend;
mod cookie_store;
mod csrf;
mod flash;
mod memory_store;
#[cfg(feature = "redis-sessions")]
mod redis_store;
mod server_store;
mod settings;

pub(crate) use crate::http_core::session::Outgoing;
pub use crate::http_core::session::{Session, SessionDefault};
pub(crate) use backend::ServerSessions;
#[cfg(feature = "fuzzing")]
pub(crate) use cookie_store::{decode_for_fuzzing, encode_for_fuzzing};
pub use csrf::csrf_token;
pub(crate) use csrf::token_refusal;
#[cfg(feature = "templates")]
pub(crate) use flash::template_flashes;
pub use flash::{
    flash, flash_with_category, get_flashed_messages, get_flashed_messages_with_categories,
};
pub(crate) use memory_store::MemoryBackend;
#[cfg(feature = "redis-sessions")]
pub(crate) use redis_store::RedisBackend;
pub(crate) use settings::SessionSettings;
