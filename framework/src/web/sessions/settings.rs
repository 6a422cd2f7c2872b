//! The app's session settings: the secret key and the session cookie's
//! name, attributes and lifetime, as Flask's `SESSION_COOKIE_*` and
//! `PERMANENT_SESSION_LIFETIME`.

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
        }
    }
}
