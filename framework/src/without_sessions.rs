//! Stand-ins for the session machinery when the `sessions` feature is off,
//! so the request path (dispatch, the server) reads the same with and
//! without it: no keys, no session, nothing to send.

/// The secret keys: there are none.
pub(crate) mod secret {
    /// No keys to sign or encrypt with.
    #[derive(Clone, Debug, Default)]
    pub(crate) struct Keys;

    impl Keys {
        /// Nothing to announce: nothing needs a key.
        pub(crate) fn announce_at_startup(&self) {}
    }
}

/// The session: there is none.
pub(crate) mod session {
    use crate::cookies::SetCookie;

    use super::secret::Keys;

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
}
