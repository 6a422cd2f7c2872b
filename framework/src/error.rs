//! phial's error type.

use std::fmt;

/// An error from phial: a server that could not start, a request the client
/// got wrong, an I/O failure.
///
/// ```
/// # async fn demo() {
/// use phial::App;
///
/// // Port 1 needs privileges, so binding it fails with an I/O error.
/// if let Err(error) = App::new().run("127.0.0.1:1").await {
///     assert!(error.is_io());
/// }
/// # }
/// ```
pub struct Error {
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    BadRequest(&'static str),
    Io(std::io::Error),
    InvalidCookie(String),
    #[cfg(feature = "passwords")]
    PasswordHash(String),
}

impl Error {
    pub(crate) fn bad_request(reason: &'static str) -> Self {
        Self {
            kind: Kind::BadRequest(reason),
        }
    }

    pub(crate) fn io(error: std::io::Error) -> Self {
        Self {
            kind: Kind::Io(error),
        }
    }

    pub(crate) fn invalid_cookie(reason: String) -> Self {
        Self {
            kind: Kind::InvalidCookie(reason),
        }
    }

    #[cfg(feature = "passwords")]
    pub(crate) fn password_hash(reason: impl Into<String>) -> Self {
        Self {
            kind: Kind::PasswordHash(reason.into()),
        }
    }

    /// Whether a password hash could not be made: a method phial doesn't
    /// know, malformed or over its limits, or a bad salt length (see
    /// [`generate_password_hash_with`](crate::generate_password_hash_with)).
    #[cfg(feature = "passwords")]
    #[cfg_attr(docsrs, doc(cfg(feature = "passwords")))]
    pub fn is_password_hash(&self) -> bool {
        matches!(self.kind, Kind::PasswordHash(_))
    }

    /// Whether a cookie could not be written: a name, path or domain that
    /// would break the `Set-Cookie` header (the app's bug, answered 500).
    pub fn is_invalid_cookie(&self) -> bool {
        matches!(self.kind, Kind::InvalidCookie(_))
    }

    /// Whether the client sent a request that can't be served (answered 400).
    pub fn is_bad_request(&self) -> bool {
        matches!(self.kind, Kind::BadRequest(_))
    }

    /// Whether an I/O operation failed (binding the address, say).
    pub fn is_io(&self) -> bool {
        matches!(self.kind, Kind::Io(_))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.kind, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::BadRequest(reason) => write!(f, "bad request: {reason}"),
            Kind::Io(error) => write!(f, "I/O error: {error}"),
            Kind::InvalidCookie(reason) => write!(f, "invalid cookie: {reason}"),
            #[cfg(feature = "passwords")]
            Kind::PasswordHash(reason) => write!(f, "password hash: {reason}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            Kind::Io(error) => Some(error),
            _ => None,
        }
    }
}
