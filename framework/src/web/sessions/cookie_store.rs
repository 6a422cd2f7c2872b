//! Sessions kept in a signed cookie, as Flask's default session interface:
//! the app's [`SessionSettings`] are the [`SessionStore`] every request
//! loads its session from and hands it back to.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::SessionSettings;
use crate::http_core::cookies::secure::{self, Kind};
use crate::http_core::cookies::{CookieLines, SetCookie};
use crate::http_core::secret::{KeySource, Keys, SecretKey};
use crate::http_core::session::store::{Saved, SessionState, SessionStore, Unavailable};

/// What the session cookie holds, before base64url and signing.
#[derive(Serialize, Deserialize)]
struct Payload {
    /// The values.
    d: Map<String, Value>,
    /// Permanent or not.
    #[serde(default)]
    p: bool,
    /// When it was written, in Unix seconds.
    t: i64,
}

/// [`Payload`] by reference, to write without copying the values.
#[derive(Serialize)]
struct PayloadRef<'a> {
    d: &'a Map<String, Value>,
    p: bool,
    t: i64,
}

impl KeySource for SessionSettings {
    fn keys(&self) -> &Keys {
        &self.keys
    }
}

/// The app's store: the signed cookie, or the server-side store the
/// settings name.
impl SessionStore for SessionSettings {
    fn load(&self, cookies: &CookieLines) -> Result<SessionState, Unavailable> {
        match &self.server {
            None => Ok(load(self, cookies, OffsetDateTime::now_utc())),
            Some(server) => server.load(self, cookies),
        }
    }

    fn save(&self, state: &SessionState) -> Saved {
        match &self.server {
            None => Saved::Ready(outgoing(state, self, OffsetDateTime::now_utc())),
            Some(server) => server.save(self, state),
        }
    }
}

/// The session from the request's cookie: empty when there is none, or
/// when it doesn't verify, doesn't decode or has expired.
///
/// # Panics
///
/// In a release build of an app without a secret key.
fn load(settings: &SessionSettings, cookies: &CookieLines, now: OffsetDateTime) -> SessionState {
    let Some(raw) = cookies.first(&settings.cookie_name) else {
        return SessionState::default();
    };
    let keys = settings
        .keys
        .readers()
        .unwrap_or_else(|message| panic!("{message}"));
    let payload = decode(keys, settings, &raw, now);
    let (values, permanent) = payload.map_or_else(Default::default, |p| (p.d, p.p));
    SessionState {
        values,
        permanent,
        had_cookie: true,
        ..SessionState::default()
    }
}

/// The cookie to send for this session: none unless modified; a
/// removal when it is now empty and the request carried one.
fn outgoing(
    state: &SessionState,
    settings: &SessionSettings,
    now: OffsetDateTime,
) -> Option<SetCookie> {
    if !state.modified {
        return None;
    }
    let cookie = if state.values.is_empty() {
        if !state.had_cookie {
            return None;
        }
        SetCookie::removal(settings.cookie_name.clone())
    } else {
        let payload = PayloadRef {
            d: &state.values,
            p: state.permanent,
            t: now.unix_timestamp(),
        };
        let json = serde_json::to_vec(&payload).unwrap_or_default();
        signed_cookie(settings, URL_SAFE_NO_PAD.encode(json), state.permanent)
    };
    Some(with_attributes(cookie, settings))
}

/// The session cookie holding `value`, signed; with a `Max-Age` of the
/// session lifetime if `permanent`.
pub(super) fn signed_cookie(
    settings: &SessionSettings,
    value: String,
    permanent: bool,
) -> SetCookie {
    let name = settings.cookie_name.clone();
    // Signed here when there is a key; else the response's writer
    // reports the missing key (a 500 with a log line).
    let mut cookie = match settings.keys.current_if_any() {
        Some(key) => {
            let signed = secure::sign(key, &name, &value);
            let mut cookie = SetCookie::new(name, signed);
            cookie.kind = Kind::Presigned;
            cookie
        }
        None => {
            let mut cookie = SetCookie::new(name, value);
            cookie.kind = Kind::Signed;
            cookie
        }
    };
    if permanent {
        cookie.max_age(settings.lifetime);
    }
    cookie
}

/// `cookie` with the session cookie's attributes: the removal too, as
/// Flask's `delete_cookie(..., httponly=...)`.
pub(super) fn with_attributes(mut cookie: SetCookie, settings: &SessionSettings) -> SetCookie {
    cookie
        .http_only(settings.http_only)
        .path(settings.path.as_deref())
        .domain(settings.domain.as_deref())
        .secure(settings.secure)
        .same_site(settings.same_site);
    cookie
}

fn decode<'k>(
    keys: impl IntoIterator<Item = &'k SecretKey>,
    settings: &SessionSettings,
    raw: &str,
    now: OffsetDateTime,
) -> Option<Payload> {
    let encoded = secure::verify(keys, &settings.cookie_name, raw)?;
    let json = URL_SAFE_NO_PAD.decode(encoded).ok()?;
    let payload: Payload = serde_json::from_slice(&json).ok()?;
    let age = now.unix_timestamp().checked_sub(payload.t)?;
    // Older than the lifetime, or from the future (beyond clock skew): void.
    (age <= settings.lifetime.whole_seconds() && age >= -300).then_some(payload)
}

/// The session a cookie value decodes to with `keys`, as a request would
/// load it now (for the fuzz targets).
#[cfg(feature = "fuzzing")]
pub(crate) fn decode_for_fuzzing<'k>(
    keys: impl IntoIterator<Item = &'k SecretKey>,
    settings: &SessionSettings,
    raw: &str,
) -> Option<Map<String, Value>> {
    decode(keys, settings, raw, OffsetDateTime::now_utc()).map(|payload| payload.d)
}

/// The signed cookie value a response would send for `values`, written now
/// (for the fuzz targets).
#[cfg(feature = "fuzzing")]
pub(crate) fn encode_for_fuzzing(
    key: &SecretKey,
    settings: &SessionSettings,
    values: &Map<String, Value>,
) -> String {
    let payload = PayloadRef {
        d: values,
        p: false,
        t: OffsetDateTime::now_utc().unix_timestamp(),
    };
    let json = serde_json::to_vec(&payload).unwrap_or_default();
    secure::sign(key, &settings.cookie_name, &URL_SAFE_NO_PAD.encode(json))
}
