//! The session's data for one request, kept in the request's task-local
//! context: loaded from the signed cookie on first use, written back only
//! when modified.

use std::sync::{Mutex, OnceLock, PoisonError};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::SessionSettings;
use crate::cookies::secure::{self, Kind};
use crate::cookies::{CookieLines, SetCookie};
use crate::secret::SecretKey;

/// The session key flashed messages are kept under, as in Flask.
pub(crate) const FLASHES: &str = "_flashes";

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

/// The session of one request.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) values: Map<String, Value>,
    pub(crate) permanent: bool,
    pub(crate) modified: bool,
    had_cookie: bool,
    /// The flashes taken by the first `get_flashed_messages` of the request.
    pub(crate) taken_flashes: Option<Vec<(String, String)>>,
}

impl State {
    /// The session from the request's cookie: empty when there is none, or
    /// when it doesn't verify, doesn't decode or has expired.
    ///
    /// # Panics
    ///
    /// In a release build of an app without a secret key.
    pub(crate) fn load(
        settings: &SessionSettings,
        cookies: &CookieLines,
        now: OffsetDateTime,
    ) -> Self {
        let Some(raw) = cookies.first(&settings.cookie_name) else {
            return Self::default();
        };
        let keys = settings
            .keys
            .readers()
            .unwrap_or_else(|message| panic!("{message}"));
        let payload = decode(keys, settings, &raw, now);
        let (values, permanent) = payload.map_or_else(Default::default, |p| (p.d, p.p));
        Self {
            values,
            permanent,
            had_cookie: true,
            ..Self::default()
        }
    }

    /// The cookie to send for this session: none unless modified; a
    /// removal when it is now empty and the request carried one.
    pub(crate) fn outgoing(
        &self,
        settings: &SessionSettings,
        now: OffsetDateTime,
    ) -> Option<SetCookie> {
        if !self.modified {
            return None;
        }
        let name = settings.cookie_name.clone();
        let mut cookie = if self.values.is_empty() {
            if !self.had_cookie {
                return None;
            }
            SetCookie::removal(name)
        } else {
            let payload = PayloadRef {
                d: &self.values,
                p: self.permanent,
                t: now.unix_timestamp(),
            };
            let json = serde_json::to_vec(&payload).unwrap_or_default();
            let encoded = URL_SAFE_NO_PAD.encode(json);
            // Signed here when there is a key; else the response's writer
            // reports the missing key (a 500 with a log line).
            let mut cookie = match settings.keys.current() {
                Ok(key) => {
                    let signed = secure::sign(key, &name, &encoded);
                    let mut cookie = SetCookie::new(name, signed);
                    cookie.kind = Kind::Presigned;
                    cookie
                }
                Err(_) => {
                    let mut cookie = SetCookie::new(name, encoded);
                    cookie.kind = Kind::Signed;
                    cookie
                }
            };
            cookie.http_only(settings.http_only);
            if self.permanent {
                cookie.max_age(settings.lifetime);
            }
            cookie
        };
        cookie
            .path(settings.path.as_deref())
            .domain(settings.domain.as_deref())
            .secure(settings.secure)
            .same_site(settings.same_site);
        Some(cookie)
    }
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

/// The session of one request, in the request's
/// [context](crate::context::RequestContext).
pub(crate) struct RequestScope {
    /// The request's `Cookie` header, read when the session is first used.
    cookies: CookieLines,
    /// Boxed: the context is moved on every poll, and most requests never
    /// touch the session.
    state: OnceLock<Box<Mutex<State>>>,
}

impl RequestScope {
    /// A scope for a request carrying `cookies`: nothing is parsed or
    /// verified until the session is used.
    pub(crate) fn new(cookies: CookieLines) -> Self {
        Self {
            cookies,
            state: OnceLock::new(),
        }
    }

    /// What became of the session.
    pub(crate) fn finish(&self, settings: &SessionSettings) -> Outgoing {
        let Some(state) = self.state.get() else {
            return Outgoing::default();
        };
        let state = state.lock().unwrap_or_else(PoisonError::into_inner);
        Outgoing {
            read: true,
            cookie: state.outgoing(settings, OffsetDateTime::now_utc()),
        }
    }
}

/// What a request's handling did with the session.
#[derive(Debug, Default)]
pub(crate) struct Outgoing {
    /// The session was read (or written): the response varies by `Cookie`.
    pub(crate) read: bool,
    /// The session cookie to send, if the session changed.
    pub(crate) cookie: Option<SetCookie>,
}

const OUTSIDE: &str = "the session (and signed or private cookies) can only be used while \
    phial handles a request, in the request's own task: not from a thread or task \
    spawned by the handler";

/// Runs `f` on this request's session, loading it first if needed; `None`
/// outside a request.
pub(crate) fn try_with_state<R>(f: impl FnOnce(&mut State) -> R) -> Option<R> {
    crate::context::try_with(|context| {
        let scope = &context.session;
        let state = scope.state.get_or_init(|| {
            let settings = &context.app.sessions;
            let now = OffsetDateTime::now_utc();
            Box::new(Mutex::new(State::load(settings, &scope.cookies, now)))
        });
        let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut state)
    })
}

/// As [`try_with_state`].
///
/// # Panics
///
/// Outside a request's handling.
pub(crate) fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> R {
    try_with_state(f).unwrap_or_else(|| panic!("{OUTSIDE}"))
}

/// Runs `f` with the keys that verify and decrypt (current first).
///
/// # Panics
///
/// Outside a request's handling, or in a release build of an app without a
/// secret key.
pub(crate) fn with_keys<R>(f: impl FnOnce(&mut dyn Iterator<Item = &SecretKey>) -> R) -> R {
    crate::context::try_with(|context| {
        let mut keys = context
            .app
            .sessions
            .keys
            .readers()
            .unwrap_or_else(|message| panic!("{message}"));
        f(&mut keys)
    })
    .unwrap_or_else(|| panic!("{OUTSIDE}"))
}

/// Whether the session was loaded in this scope (for `Debug`, which must
/// not load it).
pub(crate) fn peek<R>(f: impl FnOnce(&State) -> R) -> Option<R> {
    crate::context::try_with(|context| {
        let state = context.session.state.get()?;
        Some(f(&state.lock().unwrap_or_else(PoisonError::into_inner)))
    })
    .flatten()
}
