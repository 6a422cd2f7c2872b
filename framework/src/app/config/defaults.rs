//! The config of a new app: every built-in key with its default.

use super::{Config, Value};
#[cfg(feature = "sessions")]
use crate::http_core::cookies::SameSite;
#[cfg(feature = "sessions")]
use crate::http_core::secret::{SECRET_KEY_ENV, SECRET_KEY_FALLBACKS_ENV};
use crate::server::Limits;
use crate::web::sessions::SessionSettings;

/// The config of [`App::new`]: every built-in key with its value in force.
pub(crate) fn defaults(limits: &Limits, debug: bool, sessions: &SessionSettings) -> Config {
    let config = Config::new()
        .set("DEBUG", debug)
        .set("MAX_CONTENT_LENGTH", Value::from_size(limits.max_body_size))
        .set("MAX_HEADER_SIZE", Value::from_size(limits.max_header_size))
        .set("MAX_HEADERS", Value::from_size(limits.max_headers))
        .set(
            "MAX_QUERY_PARAMS",
            Value::from_size(limits.max_query_params),
        )
        .set(
            "HEADER_READ_TIMEOUT",
            Value::from_seconds(limits.header_read_timeout),
        )
        .set(
            "BODY_READ_TIMEOUT",
            Value::from_seconds(limits.body_read_timeout),
        )
        .set("WRITE_TIMEOUT", Value::from_seconds(limits.write_timeout))
        .set(
            "SHUTDOWN_TIMEOUT",
            Value::from_seconds(limits.shutdown_timeout),
        )
        .set("BEHIND_PROXY", false);
    #[cfg(feature = "sessions")]
    let config = shown(sessions, config);
    #[cfg(not(feature = "sessions"))]
    let _ = sessions;
    config
}

#[cfg(feature = "sessions")]
/// `config` with the session settings' keys, as [`App::config`] shows them
/// (the secret keys as the environment gave them).
fn shown(settings: &SessionSettings, config: Config) -> Config {
    let mut config = config
        .set("SESSION_COOKIE_NAME", settings.cookie_name.as_str())
        .set(
            "SESSION_COOKIE_DOMAIN",
            optional(settings.domain.as_deref()),
        )
        .set("SESSION_COOKIE_PATH", optional(settings.path.as_deref()))
        .set("SESSION_COOKIE_SECURE", settings.secure)
        .set("SESSION_COOKIE_HTTPONLY", settings.http_only)
        .set("SESSION_COOKIE_SAMESITE", same_site(settings.same_site))
        .set(
            "PERMANENT_SESSION_LIFETIME",
            settings.lifetime.whole_seconds(),
        )
        .set(
            "SESSION_REFRESH_EACH_REQUEST",
            settings.refresh_each_request,
        );
    for (key, variable) in [
        ("SECRET_KEY", SECRET_KEY_ENV),
        ("SECRET_KEY_FALLBACKS", SECRET_KEY_FALLBACKS_ENV),
        #[cfg(feature = "redis-sessions")]
        ("SESSION_REDIS_URL", "REDIS_URL"),
    ] {
        if let Some(value) = std::env::var(variable).ok().filter(|v| !v.is_empty()) {
            config.insert(key, value);
        }
    }
    config
}

/// A setting that may be unset, as the config shows it: the text, or
/// `false`.
#[cfg(feature = "sessions")]
pub(crate) fn optional(text: Option<&str>) -> Value {
    text.map_or(Value::Boolean(false), Value::from)
}

/// `SameSite` as the config shows it: its name, or `false` for none.
#[cfg(feature = "sessions")]
pub(crate) fn same_site(same_site: Option<SameSite>) -> Value {
    match same_site {
        Some(SameSite::Strict) => "Strict".into(),
        Some(SameSite::Lax) => "Lax".into(),
        Some(SameSite::None) => "None".into(),
        None => Value::Boolean(false),
    }
}
