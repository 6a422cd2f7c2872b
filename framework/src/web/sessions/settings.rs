//! The app's session settings: the secret key and the session cookie's
//! name, attributes and lifetime, as Flask's `SESSION_COOKIE_*` and
//! `PERMANENT_SESSION_LIFETIME`, and where sessions are kept (the cookie,
//! or a server-side store such as Redis).

use super::backend::ServerSessions;
use crate::http_core::cookies::SameSite;
use crate::http_core::secret::Keys;

/// What the session and signed cookies need from the app.
#[derive(Clone, Debug)]
pub(crate) struct SessionSettings {
    pub(crate) keys: Keys,
    pub(crate) cookie_name: String,
    pub(crate) domain: Option<String>,
    pub(crate) path: Option<String>,
    pub(crate) secure: bool,
    pub(crate) http_only: bool,
    pub(crate) same_site: Option<SameSite>,
    pub(crate) lifetime: time::Duration,
    /// A server-side store (Redis, memory): the cookie holds a signed id.
    /// `None`: the values are in the signed cookie.
    pub(crate) server: Option<ServerSessions>,
    /// Flask's `SESSION_REFRESH_EACH_REQUEST`: a permanent server-side
    /// session's expiry (and cookie) is renewed by each request that uses it.
    pub(crate) refresh_each_request: bool,
}

impl SessionSettings {
    /// Flask's defaults, with the keys from the environment.
    pub(crate) fn from_environment() -> Self {
        Self {
            keys: Keys::from_environment(),
            cookie_name: "session".to_owned(),
            domain: None,
            path: Some("/".to_owned()),
            secure: false,
            http_only: true,
            same_site: Some(SameSite::Lax),
            lifetime: time::Duration::days(31),
            server: server_from_environment(),
            refresh_each_request: true,
        }
    }
}

/// Redis, if `REDIS_URL` names it (and the `redis-sessions` feature is
/// on); else none, the signed cookie.
///
/// # Panics
///
/// If `REDIS_URL` is set but is no Redis URL: a mistake to fix before
/// the app starts.
fn server_from_environment() -> Option<ServerSessions> {
    #[cfg(feature = "redis-sessions")]
    if let Some(url) = std::env::var("REDIS_URL").ok().filter(|v| !v.is_empty()) {
        let backend = super::redis_store::RedisBackend::new(&url)
            .unwrap_or_else(|error| panic!("REDIS_URL: {error}"));
        return Some(ServerSessions::new(backend));
    }
    None
}
