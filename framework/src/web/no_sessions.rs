//! Without the `sessions` feature: the session machinery's stand-ins, so
//! the request path (dispatch, the server) reads the same with and without
//! it: no session settings, nothing to send.

use crate::http_core::cookies::SetCookie;

use crate::http_core::secret::Keys;

/// What the session needs from the app: nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct SessionSettings {
    pub(crate) keys: Keys,
}

impl SessionSettings {
    /// The settings, as the `sessions` feature's namesake.
    pub(crate) fn from_environment() -> Self {
        Self::default()
    }
}

/// What a request's handling did with the session: nothing.
#[derive(Debug, Default)]
pub(crate) struct Outgoing {
    /// Always false.
    pub(crate) read: bool,
    /// Always `None`.
    pub(crate) cookie: Option<SetCookie>,
}
