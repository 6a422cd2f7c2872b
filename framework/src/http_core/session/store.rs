//! [`SessionStore`]: where a request's session is loaded from and saved
//! to (the app's signed cookie, see `cookie_store`), and [`SessionState`],
//! the values it holds for one request.

use serde_json::{Map, Value};

use crate::http_core::cookies::{CookieLines, SetCookie};

/// Where sessions are kept: the app's, lent to each request it builds.
pub(crate) trait SessionStore: Send + Sync + 'static {
    /// The session `cookies` carry: empty when there is none, or when it
    /// doesn't verify, doesn't decode or has expired.
    ///
    /// # Panics
    ///
    /// In a release build of an app without a secret key.
    fn load(&self, cookies: &CookieLines) -> SessionState;

    /// The cookie to send for `state`, if any.
    fn save(&self, state: &SessionState) -> Option<SetCookie>;
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
}
