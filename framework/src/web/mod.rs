//! What builds on the HTTP core to make a web app: sessions kept in a
//! signed cookie and flashed messages, templates, static files, and the one
//! ambient state Flask-style free functions reach (`current`).

#[cfg(feature = "compression")]
pub(crate) mod compression;
pub(crate) mod current;
mod ranges;
#[cfg(feature = "passwords")]
pub mod security;
#[cfg(feature = "sessions")]
pub(crate) mod sessions;
#[cfg(not(feature = "sessions"))]
#[path = "no_sessions.rs"]
pub(crate) mod sessions;
pub(crate) mod static_files;
#[cfg(feature = "templates")]
pub(crate) mod templates;
