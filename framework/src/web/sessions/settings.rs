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
    /// Why `REDIS_URL` names no Redis, if it doesn't: reported when the
    /// app starts (`App::check_start`), not a panic in `App::new`.
    pub(crate) invalid_redis_url: Option<String>,
}

impl SessionSettings {
    /// Flask's defaults, with the keys from the environment.
    pub(crate) fn from_environment() -> Self {
        let (server, invalid_redis_url) = match server_from_environment() {
            Ok(server) => (server, None),
            Err(error) => (None, Some(error)),
        };
        Self {
            keys: Keys::from_environment(),
            cookie_name: "session".to_owned(),
            domain: None,
            path: Some("/".to_owned()),
            secure: false,
            http_only: true,
            same_site: Some(SameSite::Lax),
            lifetime: time::Duration::days(31),
            server,
            refresh_each_request: true,
            invalid_redis_url,
        }
    }
}

/// Redis, if `REDIS_URL` names it (and the `redis-sessions` feature is
/// on); else none, the signed cookie. An error if `REDIS_URL` is set but
/// is no Redis URL: a mistake to fix before the app starts.
fn server_from_environment() -> Result<Option<ServerSessions>, String> {
    #[cfg(feature = "redis-sessions")]
    if let Some(url) = std::env::var("REDIS_URL").ok().filter(|v| !v.is_empty()) {
        let backend = super::redis_store::RedisBackend::new(&url)
            .map_err(|error| format!("REDIS_URL: {error}"))?;
        return Ok(Some(ServerSessions::new(backend)));
    }
    Ok(None)
}
