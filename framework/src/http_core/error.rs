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
    Config(String),
    Startup(crate::BoxError),
    Setup(String),
    /// The command line didn't parse (clap's message, with its usage).
    #[cfg(feature = "cli")]
    Usage(clap::Error),
    /// An app-defined command failed.
    #[cfg(feature = "cli")]
    Command(Box<dyn std::error::Error + Send + Sync>),
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

    pub(crate) fn setup(problems: String) -> Self {
        Self {
            kind: Kind::Setup(problems),
        }
    }

    pub(crate) fn invalid_cookie(reason: String) -> Self {
        Self {
            kind: Kind::InvalidCookie(reason),
        }
    }

    pub(crate) fn config(message: String) -> Self {
        Self {
            kind: Kind::Config(message),
        }
    }

    pub(crate) fn startup(error: crate::BoxError) -> Self {
        Self {
            kind: Kind::Startup(error),
        }
    }

    /// Whether a configuration value or file is wrong: a built-in key with
    /// a value of the wrong type, a [`Config::get`](crate::Config) of a
    /// missing key or the wrong type, a config file that can't be read or
    /// isn't TOML. The message names the key or the file.
    pub fn is_config(&self) -> bool {
        matches!(self.kind, Kind::Config(_))
    }

    /// Whether a start-up hook ([`App::on_startup`](crate::App::on_startup))
    /// failed or panicked, so the server didn't start; [`source`](std::error::Error::source)
    /// is the hook's error.
    pub fn is_startup(&self) -> bool {
        matches!(self.kind, Kind::Startup(_))
    }

    /// Whether the app refused to start because of how it is set up: a
    /// handler takes state that was never registered, say. The message
    /// names the handler, the parameter and what to add.
    pub fn is_setup(&self) -> bool {
        matches!(self.kind, Kind::Setup(_))
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

    #[cfg(feature = "cli")]
    pub(crate) fn usage(error: clap::Error) -> Self {
        Self {
            kind: Kind::Usage(error),
        }
    }

    #[cfg(feature = "cli")]
    pub(crate) fn command(error: Box<dyn std::error::Error + Send + Sync>) -> Self {
        Self {
            kind: Kind::Command(error),
        }
    }

    /// Whether a command line given to [`App::cli_from`](crate::App::cli_from)
    /// didn't parse: an unknown command or option, a missing or bad value.
    /// Its `Display` is clap's message, with a suggestion and the usage.
    #[cfg(feature = "cli")]
    #[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
    pub fn is_usage(&self) -> bool {
        matches!(self.kind, Kind::Usage(_))
    }

    /// Whether a command the app added with [`App::command`](crate::App::command)
    /// failed; [`source`](std::error::Error::source) is its error.
    #[cfg(feature = "cli")]
    #[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
    pub fn is_command(&self) -> bool {
        matches!(self.kind, Kind::Command(_))
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
            Kind::Config(message) => f.write_str(message),
            Kind::Startup(error) => write!(f, "start-up hook failed: {error}"),
            Kind::Setup(problems) => write!(f, "the app can't start:\n{problems}"),
            #[cfg(feature = "cli")]
            Kind::Usage(error) => write!(f, "{error}"),
            #[cfg(feature = "cli")]
            Kind::Command(error) => write!(f, "command failed: {error}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            Kind::Io(error) => Some(error),
            Kind::Startup(error) => Some(&**error),
            #[cfg(feature = "cli")]
            Kind::Usage(error) => Some(error),
            #[cfg(feature = "cli")]
            Kind::Command(error) => Some(&**error),
            _ => None,
        }
    }
}
