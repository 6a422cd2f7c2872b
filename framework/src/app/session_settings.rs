//! The app's session settings: the builder methods that set them (Flask's
//! `SECRET_KEY`, `SESSION_COOKIE_*`, `PERMANENT_SESSION_LIFETIME`).

use crate::app::config::defaults::{optional, same_site};
use crate::app::config::Value;
use crate::http_core::cookies::{MaxAge, OptionalText, SameSite};
use crate::web::sessions::SessionSettings;
use crate::App;

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
        match std::str::from_utf8(key.as_ref()) {
            Ok(text) => self.show_setting("SECRET_KEY", text.into()),
            // Bytes that aren't text can't be shown.
            Err(_) => drop(self.inner_mut().settings.remove("SECRET_KEY")),
        }
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
        let shown: Vec<Value> = keys
            .iter()
            .map(|key| String::from_utf8_lossy(key.as_ref()).into_owned().into())
            .collect();
        self.show_setting("SECRET_KEY_FALLBACKS", Value::Array(shown));
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
        self.show_setting("SESSION_COOKIE_NAME", name.into());
        self
    }

    /// The session cookie's `Domain` (default none: the host that set it).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_domain(mut self, domain: impl OptionalText) -> Self {
        self.sessions_mut().domain = domain.into_option();
        let shown = optional(self.inner.sessions.domain.as_deref());
        self.show_setting("SESSION_COOKIE_DOMAIN", shown);
        self
    }

    /// The session cookie's `Path` (default `/`).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_path(mut self, path: impl OptionalText) -> Self {
        self.sessions_mut().path = path.into_option();
        let shown = optional(self.inner.sessions.path.as_deref());
        self.show_setting("SESSION_COOKIE_PATH", shown);
        self
    }

    /// Whether the session cookie is sent over HTTPS only (`Secure`,
    /// default off; turn it on in production behind HTTPS).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_secure(mut self, secure: bool) -> Self {
        self.sessions_mut().secure = secure;
        self.show_setting("SESSION_COOKIE_SECURE", secure.into());
        self
    }

    /// Whether the session cookie is hidden from JavaScript (`HttpOnly`,
    /// default on).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_http_only(mut self, http_only: bool) -> Self {
        self.sessions_mut().http_only = http_only;
        self.show_setting("SESSION_COOKIE_HTTPONLY", http_only.into());
        self
    }

    /// The session cookie's `SameSite` (default `Lax`; `None`, Rust's,
    /// sends no attribute).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_same_site(mut self, same_site: impl Into<Option<SameSite>>) -> Self {
        let same_site = same_site.into();
        self.sessions_mut().same_site = same_site;
        self.show_setting("SESSION_COOKIE_SAMESITE", self::same_site(same_site));
        self
    }

    /// How long a session lasts (default 31 days): a
    /// [permanent](crate::Session::set_permanent) session's cookie gets this
    /// `Max-Age`, and any session cookie older than this, counted from when
    /// it was last written, reads as empty whatever the browser sends.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn permanent_session_lifetime(mut self, lifetime: impl MaxAge) -> Self {
        let seconds = lifetime.whole_seconds();
        self.sessions_mut().lifetime = time::Duration::seconds(seconds);
        self.show_setting("PERMANENT_SESSION_LIFETIME", seconds.into());
        self
    }
}
