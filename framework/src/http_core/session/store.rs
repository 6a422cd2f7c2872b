//! [`SessionStore`]: where a request's session is loaded from and saved
//! to (the app's signed cookie, see `cookie_store`, or a server-side store
//! such as Redis, see `server_store`), and [`SessionState`], the values it
//! holds for one request.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde_json::{Map, Value};

use crate::http_core::cookies::{CookieLines, SetCookie};

/// Where sessions are kept: the app's, lent to each request it builds.
pub(crate) trait SessionStore: Send + Sync + 'static {
    /// The session `cookies` carry: empty when there is none, or when it
    /// doesn't verify, doesn't decode or has expired.
    ///
    /// # Errors
    ///
    /// When the store holding the session (Redis) can't be reached: the
    /// request is answered 503 if it uses the session.
    ///
    /// # Panics
    ///
    /// In a release build of an app without a secret key.
    fn load(&self, cookies: &CookieLines) -> Result<SessionState, Unavailable>;

    /// The cookie to send for `state`, if any, and for a server-side store
    /// the write that must succeed before it is sent.
    fn save(&self, state: &SessionState) -> Saved;
}

/// What saving a session gives: the cookie at once (a signed-cookie
/// session: nothing is allocated), or a write to a server-side store to
/// await first.
pub(crate) enum Saved {
    /// The cookie to send, if any.
    Ready(Option<SetCookie>),
    /// The store's write, then the cookie to send.
    Pending(Pin<Box<dyn Future<Output = Result<Option<SetCookie>, Unavailable>> + Send>>),
}

/// The store that keeps sessions can't be reached: the request that needs
/// its session is answered 503 and logged, never served an empty session.
#[derive(Debug)]
pub(crate) struct Unavailable(pub(crate) String);

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the session store is unavailable: {}", self.0)
    }
}

/// The session of one request.
#[derive(Debug, Default)]
pub(crate) struct SessionState {
    /// The values.
    pub(crate) values: Map<String, Value>,
    /// Permanent (Flask's `session.permanent`) or not.
    pub(crate) permanent: bool,
    /// Changed by this request: the store writes it back.
    pub(crate) modified: bool,
    /// The request carried a session cookie (so an emptied session deletes it).
    pub(crate) had_cookie: bool,
    /// The flashes taken by the first `get_flashed_messages` of the request.
    pub(crate) taken_flashes: Option<Vec<(String, String)>>,
    /// A server-side session's id, as the request's cookie named it (verified,
    /// and its record found).
    pub(crate) id: Option<String>,
    /// The id must change (`regenerate`, `clear`): a server-side store
    /// deletes the old record and saves the values under a new id.
    pub(crate) regenerate: bool,
    /// The cookie verified with a fallback key: a server-side store sends
    /// it again, signed with the current key (a key rotation).
    pub(crate) resign: bool,
}
