//! The app's session settings: the secret key and the session cookie's
//! name, attributes and lifetime, as Flask's `SESSION_COOKIE_*` and
//! `PERMANENT_SESSION_LIFETIME`.

use crate::cookies::{MaxAge, OptionalText, SameSite};
use crate::secret::Keys;
use crate::App;

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

#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
impl App {
    fn sessions_mut(&mut self) -> &mut SessionSettings {
        std::sync::Arc::make_mut(&mut self.inner_mut().sessions)
    }

    /// The secret key that signs the session and signed cookies and
    /// encrypts private cookies (Flask's `SECRET_KEY`): at least 32 bytes of
    /// random data. Signing and encryption keys are derived from it with
    /// HKDF-SHA256. Without this call, [`App::new`] reads `PHIAL_SECRET_KEY`.
    ///
    /// Without any key, a debug build uses a random key (sessions won't
    /// survive a restart, and the log says so) and a release build answers
    /// 500 to any request that uses the session or a signed or private
    /// cookie, with a log line saying how to set one.
    ///
    /// ```
    /// use phial::App;
    ///
    /// let app = App::new().secret_key(phial::generate_secret_key());
    /// ```
    ///
    /// # Panics
    ///
    /// If `key` is shorter than 32 bytes; the message says how to make one
    /// (`cargo run -p phial --example secret_key`).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn secret_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.sessions_mut().keys.set_current(key.as_ref());
        self
    }

    /// Former secret keys, for a key rotation (Flask's
    /// `SECRET_KEY_FALLBACKS`): sessions and cookies signed or encrypted
    /// with one of them still read, and are written back with the current
    /// key. Remove a fallback once sessions made with it have expired.
    /// Without this call, [`App::new`] reads them from
    /// `PHIAL_SECRET_KEY_FALLBACKS`, separated by commas.
    ///
    /// ```
    /// # let (new, old) = (phial::generate_secret_key(), phial::generate_secret_key());
    /// let app = phial::App::new().secret_key(new).secret_key_fallbacks([old]);
    /// ```
    ///
    /// # Panics
    ///
    /// If a key is shorter than 32 bytes.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn secret_key_fallbacks<K: AsRef<[u8]>>(
        mut self,
        keys: impl IntoIterator<Item = K>,
    ) -> Self {
        let keys: Vec<K> = keys.into_iter().collect();
        self.sessions_mut()
            .keys
            .set_fallbacks(keys.iter().map(AsRef::as_ref));
        self
    }

    /// The name of the session cookie (default `session`).
    ///
    /// # Panics
    ///
    /// If `name` is empty.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_name(mut self, name: &str) -> Self {
        assert!(!name.is_empty(), "the session cookie needs a name");
        self.sessions_mut().cookie_name = name.to_owned();
        self
    }

    /// The session cookie's `Domain` (default none: the host that set it).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_domain(mut self, domain: impl OptionalText) -> Self {
        self.sessions_mut().domain = domain.into_option();
        self
    }

    /// The session cookie's `Path` (default `/`).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_path(mut self, path: impl OptionalText) -> Self {
        self.sessions_mut().path = path.into_option();
        self
    }

    /// Whether the session cookie is sent over HTTPS only (`Secure`,
    /// default off; turn it on in production behind HTTPS).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_secure(mut self, secure: bool) -> Self {
        self.sessions_mut().secure = secure;
        self
    }

    /// Whether the session cookie is hidden from JavaScript (`HttpOnly`,
    /// default on).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_http_only(mut self, http_only: bool) -> Self {
        self.sessions_mut().http_only = http_only;
        self
    }

    /// The session cookie's `SameSite` (default `Lax`; `None`, Rust's,
    /// sends no attribute).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_same_site(mut self, same_site: impl Into<Option<SameSite>>) -> Self {
        self.sessions_mut().same_site = same_site.into();
        self
    }

    /// How long a session lasts (default 31 days): a
    /// [permanent](crate::Session::set_permanent) session's cookie gets this
    /// `Max-Age`, and any session cookie older than this, counted from when
    /// it was last written, reads as empty whatever the browser sends.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn permanent_session_lifetime(mut self, lifetime: impl MaxAge) -> Self {
        self.sessions_mut().lifetime = time::Duration::seconds(lifetime.whole_seconds());
        self
    }
}
