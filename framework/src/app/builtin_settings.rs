//! The settings phial itself reads from the config (Flask's built-in
//! keys): each sets what the `App` builder method of the same meaning
//! sets, and that method writes the key back, so `app.config()` always
//! shows the settings in force.

use std::time::Duration;

use super::config::{Config, Value};
use crate::{App, Error};

impl App {
    /// An app built from `config`: [`App::new`], then
    /// [`with_config`](Self::with_config).
    ///
    /// ```
    /// use phial::{App, Config};
    ///
    /// let app = App::from_config(Config::new().set("MAX_CONTENT_LENGTH", 1024))?;
    /// assert_eq!(app.config().value("MAX_CONTENT_LENGTH").and_then(|v| v.as_integer()), Some(1024));
    /// # Ok::<(), phial::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`with_config`](Self::with_config).
    pub fn from_config(config: Config) -> Result<Self, Error> {
        Self::new().with_config(config)
    }

    /// Sets every key of `config` in the app's [config](Self::config),
    /// overriding what was there. The built-in keys below change the
    /// app's settings, as the builder method named beside each does (and
    /// a later call of that method overrides them in turn); other keys
    /// are kept for your code.
    ///
    /// # Built-in keys
    ///
    /// | key | type | default | same as |
    /// |---|---|---|---|
    /// | `DEBUG` | boolean | `false` (`PHIAL_DEBUG`) | [`debug`](Self::debug) |
    /// | `SECRET_KEY` | string, 32 bytes or more | `PHIAL_SECRET_KEY` | [`secret_key`](Self::secret_key) |
    /// | `SECRET_KEY_FALLBACKS` | array of strings, or one string separated by commas | `PHIAL_SECRET_KEY_FALLBACKS` | [`secret_key_fallbacks`](Self::secret_key_fallbacks) |
    /// | `MAX_CONTENT_LENGTH` | integer, bytes | 16 MiB | [`max_body_size`](Self::max_body_size) |
    /// | `MAX_HEADER_SIZE` | integer, bytes | 80 KiB | [`max_header_size`](Self::max_header_size) |
    /// | `MAX_HEADERS` | integer | 100 | [`max_headers`](Self::max_headers) |
    /// | `MAX_QUERY_PARAMS` | integer | 1000 | [`max_query_params`](Self::max_query_params) |
    /// | `HEADER_READ_TIMEOUT` | number, seconds | 30 | [`header_read_timeout`](Self::header_read_timeout) |
    /// | `BODY_READ_TIMEOUT` | number, seconds | 60 | [`body_read_timeout`](Self::body_read_timeout) |
    /// | `WRITE_TIMEOUT` | number, seconds | 30 | [`write_timeout`](Self::write_timeout) |
    /// | `SHUTDOWN_TIMEOUT` | number, seconds | 30 | [`shutdown_timeout`](Self::shutdown_timeout) |
    /// | `BEHIND_PROXY` | `true` (Werkzeug's defaults), `false`, or a table of counts (`{ x_for = 1, x_host = 1 }`) | `false` | [`behind_proxy`](Self::behind_proxy) |
    /// | `SPOOL_THRESHOLD` | integer, bytes | 500 KiB | `spool_threshold` (feature `multipart`) |
    /// | `SPOOL_DIR` | string, a folder | the system's temporary folder | `spool_dir` (feature `multipart`) |
    /// | `MAX_FORM_MEMORY_SIZE` | integer, bytes | 500,000 | `max_form_memory_size` (feature `multipart`) |
    /// | `SESSION_COOKIE_NAME` | string | `"session"` | [`session_cookie_name`](Self::session_cookie_name) |
    /// | `SESSION_COOKIE_DOMAIN` | string, or `false` for none | none | [`session_cookie_domain`](Self::session_cookie_domain) |
    /// | `SESSION_COOKIE_PATH` | string, or `false` for none | `"/"` | [`session_cookie_path`](Self::session_cookie_path) |
    /// | `SESSION_COOKIE_SECURE` | boolean | `false` | [`session_cookie_secure`](Self::session_cookie_secure) |
    /// | `SESSION_COOKIE_HTTPONLY` | boolean | `true` | [`session_cookie_http_only`](Self::session_cookie_http_only) |
    /// | `SESSION_COOKIE_SAMESITE` | `"Lax"`, `"Strict"`, `"None"`, or `false` for no attribute | `"Lax"` | [`session_cookie_same_site`](Self::session_cookie_same_site) |
    /// | `PERMANENT_SESSION_LIFETIME` | integer, seconds | 2678400 (31 days) | [`permanent_session_lifetime`](Self::permanent_session_lifetime) |
    /// | `SESSION_REFRESH_EACH_REQUEST` | boolean | `true` | [`session_refresh_each_request`](Self::session_refresh_each_request) |
    /// | `SESSION_REDIS_URL` | string, a Redis URL (`""`: none) | `REDIS_URL` | `session_redis` (feature `redis-sessions`) |
    ///
    /// A boolean may also be written `1`/`0` or `"true"`/`"false"`,
    /// `"yes"`/`"no"`, `"on"`/`"off"` (as environment variables are). The
    /// `SECRET_KEY*` and `SESSION_*` keys are built in with the
    /// `sessions` feature; without it they are plain keys.
    ///
    /// ```
    /// use phial::{App, Config};
    ///
    /// let app = App::new().with_config(Config::new().set("SESSION_COOKIE_NAME", "id"))?;
    /// # Ok::<(), phial::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// If a built-in key has a value of the wrong type or out of range (a
    /// `MAX_CONTENT_LENGTH` of `"big"`, a `SECRET_KEY` shorter than 32
    /// bytes): the message names the key, what it needs and what it got.
    pub fn with_config(mut self, config: Config) -> Result<Self, Error> {
        for (key, value) in config {
            self = self.apply_setting(key, value)?;
        }
        Ok(self)
    }

    /// Writes `key` into the config the app shows (the builder methods'
    /// side of the bargain).
    pub(crate) fn show_setting(&mut self, key: &'static str, value: Value) {
        self.inner_mut().settings.insert(key, value);
    }

    fn apply_setting(self, key: String, value: Value) -> Result<Self, Error> {
        let read = Read {
            key: &key,
            value: &value,
        };
        Ok(match key.as_str() {
            "DEBUG" => self.debug(read.flag()?),
            "MAX_CONTENT_LENGTH" => self.max_body_size(read.size()?),
            "MAX_HEADER_SIZE" => self.max_header_size(read.size()?),
            "MAX_HEADERS" => self.max_headers(read.size()?),
            "MAX_QUERY_PARAMS" => self.max_query_params(read.size()?),
            "HEADER_READ_TIMEOUT" => self.header_read_timeout(read.seconds()?),
            "BODY_READ_TIMEOUT" => self.body_read_timeout(read.seconds()?),
            "WRITE_TIMEOUT" => self.write_timeout(read.seconds()?),
            "SHUTDOWN_TIMEOUT" => self.shutdown_timeout(read.seconds()?),
            "BEHIND_PROXY" => self.apply_proxy_setting(&value)?,
            #[cfg(feature = "multipart")]
            "SPOOL_THRESHOLD" => self.spool_threshold(read.size()?),
            #[cfg(feature = "multipart")]
            "SPOOL_DIR" => self.spool_dir(read.text()?),
            #[cfg(feature = "multipart")]
            "MAX_FORM_MEMORY_SIZE" => self.max_form_memory_size(read.size()?),
            #[cfg(feature = "sessions")]
            _ if key.starts_with("SECRET_KEY") || key.contains("SESSION") => {
                self.apply_session_setting(&read)?
            }
            _ => {
                let mut app = self;
                app.inner_mut().settings.insert(key, value);
                app
            }
        })
    }

    #[cfg(feature = "sessions")]
    fn apply_session_setting(self, read: &Read<'_>) -> Result<Self, Error> {
        use crate::SameSite;
        Ok(match read.key {
            "SECRET_KEY" => self.secret_key(read.secret(read.text()?)?),
            "SECRET_KEY_FALLBACKS" => {
                let keys: Vec<&str> = match read.value {
                    Value::String(text) => text
                        .split(',')
                        .map(str::trim)
                        .filter(|key| !key.is_empty())
                        .collect(),
                    Value::Array(items) => items
                        .iter()
                        .map(|item| {
                            item.as_str().ok_or_else(|| {
                                Error::config(format!(
                                    "config key `{}` must be an array of strings, not an \
                                     array holding {}",
                                    read.key,
                                    item.describe()
                                ))
                            })
                        })
                        .collect::<Result<_, _>>()?,
                    _ => return Err(read.wrong("an array of strings")),
                };
                for key in &keys {
                    read.secret(key)?;
                }
                self.secret_key_fallbacks(keys)
            }
            "SESSION_COOKIE_NAME" => match read.text()? {
                "" => return Err(read.wrong("a cookie name, not empty")),
                name => self.session_cookie_name(name),
            },
            "SESSION_COOKIE_DOMAIN" => self.session_cookie_domain(read.optional_text()?),
            "SESSION_COOKIE_PATH" => self.session_cookie_path(read.optional_text()?),
            "SESSION_COOKIE_SECURE" => self.session_cookie_secure(read.flag()?),
            "SESSION_COOKIE_HTTPONLY" => self.session_cookie_http_only(read.flag()?),
            "SESSION_COOKIE_SAMESITE" => {
                let same_site = match read.value {
                    Value::Boolean(false) => None,
                    Value::String(text) if text.eq_ignore_ascii_case("lax") => Some(SameSite::Lax),
                    Value::String(text) if text.eq_ignore_ascii_case("strict") => {
                        Some(SameSite::Strict)
                    }
                    Value::String(text) if text.eq_ignore_ascii_case("none") => {
                        Some(SameSite::None)
                    }
                    _ => return Err(read.wrong("\"Lax\", \"Strict\", \"None\" or false")),
                };
                self.session_cookie_same_site(same_site)
            }
            "SESSION_REFRESH_EACH_REQUEST" => self.session_refresh_each_request(read.flag()?),
            #[cfg(feature = "redis-sessions")]
            "SESSION_REDIS_URL" => match read.text()? {
                "" => self,
                url => self.try_session_redis(url).map_err(|error| {
                    Error::config(format!("config key `{}`: {error}", read.key))
                })?,
            },
            #[cfg(not(feature = "redis-sessions"))]
            "SESSION_REDIS_URL" => {
                return Err(Error::config(format!(
                    "config key `{}` needs phial's `redis-sessions` feature: \
                     phial = {{ version = \"0.1\", features = [\"redis-sessions\"] }}",
                    read.key
                )))
            }
            "PERMANENT_SESSION_LIFETIME" => {
                let seconds = read.integer("a whole number of seconds")?;
                self.permanent_session_lifetime(seconds)
            }
            _ => {
                let mut app = self;
                let key = read.key.to_owned();
                app.inner_mut().settings.insert(key, read.value.clone());
                app
            }
        })
    }
}

/// One key's value, read as a built-in setting needs it.
struct Read<'a> {
    key: &'a str,
    value: &'a Value,
}

impl Read<'_> {
    fn wrong(&self, expected: &str) -> Error {
        Error::config(format!(
            "config key `{}` must be {expected}, not {}",
            self.key,
            self.value.describe()
        ))
    }

    fn flag(&self) -> Result<bool, Error> {
        let flag = match self.value {
            Value::Boolean(flag) => Some(*flag),
            Value::Integer(0) => Some(false),
            Value::Integer(1) => Some(true),
            Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => Some(true),
                "false" | "no" | "off" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        };
        flag.ok_or_else(|| self.wrong("a boolean (true or false)"))
    }

    fn integer(&self, expected: &str) -> Result<i64, Error> {
        match self.value {
            Value::Integer(number) if *number >= 0 => Ok(*number),
            _ => Err(self.wrong(expected)),
        }
    }

    fn size(&self) -> Result<usize, Error> {
        let number = self.integer("a whole number, 0 or more")?;
        Ok(usize::try_from(number).unwrap_or(usize::MAX))
    }

    fn seconds(&self) -> Result<Duration, Error> {
        let seconds = match self.value {
            Value::Integer(_) | Value::Float(_) => self.value.as_float(),
            _ => None,
        };
        seconds
            .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
            .ok_or_else(|| self.wrong("a number of seconds, 0 or more"))
    }

    #[cfg(any(feature = "sessions", feature = "multipart"))]
    fn text(&self) -> Result<&str, Error> {
        self.value.as_str().ok_or_else(|| self.wrong("a string"))
    }

    /// A string, or `false` for none.
    #[cfg(feature = "sessions")]
    fn optional_text(&self) -> Result<Option<&str>, Error> {
        match self.value {
            Value::Boolean(false) => Ok(None),
            Value::String(text) => Ok(Some(text)),
            _ => Err(self.wrong("a string, or false for none")),
        }
    }

    /// `key` if it is long enough to be a secret key.
    #[cfg(feature = "sessions")]
    fn secret<'k>(&self, key: &'k str) -> Result<&'k str, Error> {
        if key.len() < crate::MIN_SECRET_KEY_LEN {
            return Err(Error::config(format!(
                "config key `{}` holds a secret key of {} bytes: it must be at least {} \
                 bytes of random data (`phial::generate_secret_key()` makes one)",
                self.key,
                key.len(),
                crate::MIN_SECRET_KEY_LEN
            )));
        }
        Ok(key)
    }
}
