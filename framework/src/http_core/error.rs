//! phial's error type: phial's own failures, and any error a handler
//! meets, which `?` converts.

use std::fmt;
use std::ops::Deref;

/// An error from phial (a server that could not start, a request the client
/// got wrong, an I/O failure) or from the app: `?` turns any error into it
/// (a database's, a template's, JSON's, an [`abort`](crate::abort)), so a
/// handler returning `Result<_, phial::Error>` reads as a Flask view.
///
/// As a response it is what the error says: an [`Abort`](crate::Abort)'s page (`abort(404)`
/// answers 404), 400 for a request phial couldn't read, else a 500 whose
/// cause is logged with the request (and shown on the debug page in
/// debug mode) but never shown to the client.
///
/// ```
/// use phial::prelude::*;
///
/// #[get("/post/<int:id>")]
/// async fn post(id: u32) -> Result<String, phial::Error> {
///     let posts = ["Hello"];
///     let title = posts.get(id as usize).ok_or(abort(404))?;
///     let number: u32 = "12".parse()?; // a ParseIntError, were it wrong: 500
///     Ok(format!("{title} #{number}"))
/// }
/// ```
///
/// Like `anyhow::Error`, it is no [`std::error::Error`] itself (that is what
/// lets `?` convert every error into it), but it dereferences to one, and
/// converts into `Box<dyn std::error::Error + Send + Sync>`. phial's own
/// errors say what they are:
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
    /// Any other error, converted by `?` (the app's).
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    fn of(kind: Kind) -> Self {
        Self { kind }
    }

    /// Wraps any error, as `?` does.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::from(error)
    }

    /// An error that is only a message (a 500 that logs it).
    ///
    /// ```
    /// let error = phial::Error::msg("the answer is not 42");
    /// assert_eq!(error.to_string(), "the answer is not 42");
    /// ```
    pub fn msg(message: impl fmt::Display) -> Self {
        Self {
            kind: Kind::Other(message.to_string().into()),
        }
    }

    /// The error as the type it was made from, if it is one: an app's
    /// error converted by `?`, an [`Abort`](crate::Abort), or [`std::io::Error`].
    ///
    /// ```
    /// let error = phial::Error::from("x".parse::<u8>().unwrap_err());
    /// assert!(error.downcast_ref::<std::num::ParseIntError>().is_some());
    /// ```
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        match &self.kind {
            Kind::Io(error) => (error as &(dyn std::error::Error + 'static)).downcast_ref(),
            _ => (**self).downcast_ref(),
        }
    }

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
    /// The message and its causes, one a line (what `main` returning
    /// `Result<(), phial::Error>` prints).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            return fmt::Debug::fmt(&self.kind, f);
        }
        write!(f, "{self}")?;
        let mut source = (**self).source();
        while let Some(cause) = source {
            write!(f, "\n  caused by: {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
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
            Kind::Other(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl std::error::Error for Kind {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
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

impl Deref for Error {
    type Target = dyn std::error::Error + Send + Sync + 'static;

    /// The error itself: the app's error as it was, or phial's.
    fn deref(&self) -> &Self::Target {
        match &self.kind {
            Kind::Other(error) => &**error,
            kind => kind,
        }
    }
}

impl AsRef<dyn std::error::Error + Send + Sync> for Error {
    fn as_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &**self
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Error {
    /// Any error, as `?` converts it: an I/O error stays an I/O error;
    /// an [`abort`](crate::abort) or a `request.json()` error keeps its
    /// answer (see [`IntoResponse`](crate::IntoResponse)).
    fn from(error: E) -> Self {
        let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
        match boxed.downcast::<std::io::Error>() {
            Ok(io) => Self::of(Kind::Io(*io)),
            Err(other) => Self::of(Kind::Other(other)),
        }
    }
}

impl From<Error> for Box<dyn std::error::Error + Send + Sync + 'static> {
    fn from(error: Error) -> Self {
        match error.kind {
            Kind::Other(error) => error,
            kind => Box::new(kind),
        }
    }
}

impl From<Error> for Box<dyn std::error::Error + 'static> {
    fn from(error: Error) -> Self {
        Box::<dyn std::error::Error + Send + Sync>::from(error)
    }
}
