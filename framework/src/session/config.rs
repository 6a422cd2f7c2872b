//! The app's session settings: the secret key and the session cookie's
//! name, attributes and lifetime, as Flask's `SESSION_COOKIE_*` and
//! `PERMANENT_SESSION_LIFETIME`.

use crate::config::{Config, Value};
use crate::cookies::{MaxAge, OptionalText, SameSite};
use crate::secret::{Keys, SECRET_KEY_ENV, SECRET_KEY_FALLBACKS_ENV};
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

    /// `config` with these settings' keys, as [`App::config`] shows them
    /// (the secret keys as the environment gave them).
    pub(crate) fn shown(&self, config: Config) -> Config {
        let mut config = config
            .set("SESSION_COOKIE_NAME", self.cookie_name.as_str())
            .set("SESSION_COOKIE_DOMAIN", optional(self.domain.as_deref()))
            .set("SESSION_COOKIE_PATH", optional(self.path.as_deref()))
            .set("SESSION_COOKIE_SECURE", self.secure)
            .set("SESSION_COOKIE_HTTPONLY", self.http_only)
            .set("SESSION_COOKIE_SAMESITE", same_site(self.same_site))
            .set("PERMANENT_SESSION_LIFETIME", self.lifetime.whole_seconds());
        for (key, variable) in [
            ("SECRET_KEY", SECRET_KEY_ENV),
            ("SECRET_KEY_FALLBACKS", SECRET_KEY_FALLBACKS_ENV),
        ] {
            if let Some(value) = std::env::var(variable).ok().filter(|v| !v.is_empty()) {
                config.insert(key, value);
            }
        }
        config
    }
}

/// A setting that may be unset, as the config shows it: the text, or
/// `false`.
fn optional(text: Option<&str>) -> Value {
    text.map_or(Value::Boolean(false), Value::from)
}

/// `SameSite` as the config shows it: its name, or `false` for none.
fn same_site(same_site: Option<SameSite>) -> Value {
    match same_site {
        Some(SameSite::Strict) => "Strict".into(),
        Some(SameSite::Lax) => "Lax".into(),
        Some(SameSite::None) => "None".into(),
        None => Value::Boolean(false),
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
