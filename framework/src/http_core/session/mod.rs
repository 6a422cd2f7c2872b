//! The session as a request holds it: its values, loaded on first use
//! through the app's [`SessionStore`] and handed back to it when the
//! request is answered. This module knows how to hold and change the
//! values, not where they are kept (that is `crate::session`, above the
//! HTTP core).

pub(crate) mod store;

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::http_core::cookies::{CookieLines, SetCookie};
use store::{Saved, SessionState, SessionStore, Unavailable};

/// What a request's handling did with the session.
#[derive(Debug, Default)]
pub(crate) struct Outgoing {
    /// The session was read (or written): the response varies by `Cookie`.
    pub(crate) read: bool,
    /// The session cookie to send, if the session changed.
    pub(crate) cookie: Option<SetCookie>,
}

const NO_STORE: &str = "this request was built without an app, so it has no session";

/// The session of the request being handled: [`request.session`](crate::Request::session).
///
/// Values are any serde type, stored as JSON in a signed cookie (`session`
/// by default) that is sent back only when the session changed; or, with
/// a server-side store (Redis, see `App::session_redis`, or
/// [`App::session_in_memory`](crate::App::session_in_memory)), on the
/// server under a random id that the signed cookie holds. Reading or
/// writing the session adds `Vary: Cookie` to the response, so caches never
/// serve one user's page to another.
///
/// All methods take `&self`: the session belongs to the request (hooks,
/// handler, error handlers, templates see the same one). It is loaded from
/// the cookie when first used, not before.
///
/// # Panics
///
/// Every method panics in a release build of an app without a
/// [secret key](crate::App::secret_key): a programming error, answered 500
/// with a log line saying what to do.
///
/// With a server-side store that can't be reached (Redis down), the first
/// method called doesn't return: the request's handling unwinds (without
/// the panic hook) and is answered 503 with a log line. In an app built
/// with `panic = "abort"` that aborts the process instead.
pub struct Session {
    /// Where the session is kept (the app's signed cookie); `None` for a
    /// request built without an app.
    store: Option<Arc<dyn SessionStore>>,
    /// The request's `Cookie` header, read when the session is first used.
    cookies: CookieLines,
    /// Boxed: most requests never touch the session. An error when the
    /// store holding it (Redis) could not be reached.
    state: OnceLock<Result<Box<Mutex<SessionState>>, Box<Unavailable>>>,
}

impl Session {
    /// The value for `key`, or `default` when it is missing or is not of
    /// the default's type. What comes back depends on the default, in the
    /// spirit of [`Params::get`](crate::Params::get):
    ///
    /// | default | returns |
    /// |---|---|
    /// | `"text"` (`&str`) or `String` | `String` |
    /// | a number, `bool` or `char` | that type |
    /// | `None::<T>` (or `None` where the type is known) | `Option<T>`, for any serde type `T` |
    /// | `Vec<T>` | `Vec<T>` |
    ///
    /// Values are not converted between types: a stored `"5"` read with a
    /// default of `0u32` gives `0`. For any other type use
    /// [`get_as`](Self::get_as).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[route("/")]
    /// fn index(request: &Request) -> String {
    ///     let name = request.session.get("username", "Guest");
    ///     let visits = request.session.get("visits", 0u32) + 1;
    ///     let cart: Option<Vec<u32>> = request.session.get("cart", None);
    ///     request.session.insert("visits", visits);
    ///     format!("{name}, visit {visits}, cart {cart:?}")
    /// }
    /// ```
    pub fn get<D: SessionDefault>(&self, key: &str, default: D) -> D::Output {
        self.with_state(|state| D::pick(state.values.get(key), default))
    }

    /// The value for `key` as any serde type, or `None` when it is missing
    /// or is not a `T`.
    ///
    /// ```
    /// # use phial::prelude::*;
    /// #[derive(serde::Deserialize)]
    /// struct User { id: u64, name: String }
    ///
    /// #[route("/me")]
    /// fn me(request: &Request) -> String {
    ///     match request.session.get_as::<User>("user") {
    ///         Some(user) => format!("{} ({})", user.name, user.id),
    ///         None => "anonymous".to_owned(),
    ///     }
    /// }
    /// ```
    pub fn get_as<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        self.with_state(|state| {
            state
                .values
                .get(key)
                .and_then(|value| T::deserialize(value).ok())
        })
    }

    /// Whether the session has a value for `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.with_state(|state| state.values.contains_key(key))
    }

    /// Sets `key` to `value` (any serde type), replacing what it held.
    ///
    /// # Panics
    ///
    /// Also if `value` can't be serialized as JSON (a map whose keys are not
    /// strings, say).
    pub fn insert(&self, key: impl Into<String>, value: impl Serialize) {
        let key = key.into();
        let value = serde_json::to_value(value).unwrap_or_else(|error| {
            panic!("session value for `{key}` can't be stored as JSON: {error}")
        });
        self.with_state(|state| {
            state.values.insert(key, value);
            state.modified = true;
        });
    }

    /// Removes `key`; says whether it was there.
    pub fn remove(&self, key: &str) -> bool {
        self.with_state(|state| {
            let removed = state.values.remove(key).is_some();
            state.modified |= removed;
            removed
        })
    }

    /// Removes every value (a logout); the browser's cookie is deleted.
    /// With a server-side store (Redis) the session's record is deleted
    /// too, so a copy of the old cookie no longer reads it; values inserted
    /// after `clear` in the same request go under a new id.
    pub fn clear(&self) {
        self.with_state(|state| {
            if !state.values.is_empty() {
                state.values.clear();
                state.modified = true;
            }
            if state.id.is_some() {
                state.regenerate = true;
                state.modified = true;
            }
        });
    }

    /// Gives the session a new id, keeping its values: call it when a user
    /// logs in, so an id planted in the browser beforehand (session
    /// fixation) names nothing once the user is in. With a server-side
    /// store (Redis) the old record is deleted and the values saved under a
    /// fresh random id; a signed-cookie session has no id, and is only sent
    /// again.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[route("/login", methods = ["POST"])]
    /// fn login(request: &Request) -> Response {
    ///     request.session.clear();
    ///     request.session.regenerate();
    ///     request.session.insert("user_id", 42);
    ///     redirect("/")
    /// }
    /// ```
    pub fn regenerate(&self) {
        self.with_state(|state| {
            state.regenerate = true;
            state.modified = true;
        });
    }

    /// The keys, in order.
    pub fn keys(&self) -> Vec<String> {
        self.with_state(|state| state.values.keys().cloned().collect())
    }

    /// Each key and its value as JSON, for the debug page; `None` when the
    /// app has no session store (no secret key).
    #[cfg(feature = "sessions")]
    pub(crate) fn decoded(&self) -> Option<Vec<(String, String)>> {
        self.store.as_ref()?;
        let state = self.loaded().as_ref().ok()?;
        let state = state.lock().unwrap_or_else(PoisonError::into_inner);
        Some(
            state
                .values
                .iter()
                .map(|(key, value)| (key.clone(), value.to_string()))
                .collect(),
        )
    }

    /// How many values the session holds.
    pub fn len(&self) -> usize {
        self.with_state(|state| state.values.len())
    }

    /// Whether the session holds nothing.
    pub fn is_empty(&self) -> bool {
        self.with_state(|state| state.values.is_empty())
    }

    /// Whether the session is permanent (see [`set_permanent`](Self::set_permanent)).
    pub fn is_permanent(&self) -> bool {
        self.with_state(|state| state.permanent)
    }

    /// Makes the session permanent (Flask's `session.permanent = True`, for
    /// "remember me"): its cookie gets a `Max-Age` of the
    /// [session lifetime](crate::App::permanent_session_lifetime) (31 days
    /// by default) and survives the browser's restart. A session that isn't
    /// permanent ends when the browser closes. Either way, a session cookie
    /// older than the lifetime reads as empty.
    pub fn set_permanent(&self, permanent: bool) {
        self.with_state(|state| {
            if state.permanent != permanent {
                state.permanent = permanent;
                state.modified = true;
            }
        });
    }

    /// Whether this request changed the session (it will be sent back).
    pub fn is_modified(&self) -> bool {
        self.with_state(|state| state.modified)
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never load the session just to print it.
        match self.peek(|state| format!("{:?}", state.values)) {
            Some(values) => write!(f, "Session({values})"),
            None => f.write_str("Session(not loaded)"),
        }
    }
}

/// A default for [`Session::get`], which decides what it returns.
pub trait SessionDefault {
    /// What `get` returns for this default.
    type Output;

    /// The stored value (if any) as the output, or the default.
    fn pick(found: Option<&Value>, default: Self) -> Self::Output;
}

impl SessionDefault for &str {
    type Output = String;

    fn pick(found: Option<&Value>, default: Self) -> String {
        found.and_then(Value::as_str).unwrap_or(default).to_owned()
    }
}

impl SessionDefault for String {
    type Output = String;

    fn pick(found: Option<&Value>, default: Self) -> String {
        found.and_then(Value::as_str).map_or(default, str::to_owned)
    }
}

impl<T: DeserializeOwned> SessionDefault for Option<T> {
    type Output = Option<T>;

    fn pick(found: Option<&Value>, default: Self) -> Option<T> {
        found
            .and_then(|value| T::deserialize(value).ok())
            .or(default)
    }
}

impl<T: DeserializeOwned> SessionDefault for Vec<T> {
    type Output = Vec<T>;

    fn pick(found: Option<&Value>, default: Self) -> Vec<T> {
        found
            .and_then(|value| Vec::<T>::deserialize(value).ok())
            .unwrap_or(default)
    }
}

macro_rules! typed_defaults {
    ($($ty:ty),*) => {$(
        impl SessionDefault for $ty {
            type Output = $ty;

            fn pick(found: Option<&Value>, default: Self) -> $ty {
                found.and_then(|value| <$ty>::deserialize(value).ok()).unwrap_or(default)
            }
        }
    )*};
}

typed_defaults!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64, bool, char
);

use serde::Deserialize as _;

impl Session {
    /// The session of a request carrying `cookies`, kept in `store`:
    /// nothing is parsed or verified until it is used.
    pub(crate) fn new(store: Option<Arc<dyn SessionStore>>, cookies: CookieLines) -> Self {
        Self {
            store,
            cookies,
            state: OnceLock::new(),
        }
    }

    /// The session's state, loaded first if needed, or why it can't be.
    fn loaded(&self) -> &Result<Box<Mutex<SessionState>>, Box<Unavailable>> {
        self.state.get_or_init(|| {
            let store = self.store.as_ref().unwrap_or_else(|| panic!("{NO_STORE}"));
            store
                .load(&self.cookies)
                .map(|state| Box::new(Mutex::new(state)))
                .map_err(Box::new)
        })
    }

    /// Runs `f` on the session's state, loading it first if needed.
    ///
    /// When the store holding the session can't be reached, `f` never
    /// runs: the request's handling unwinds (with
    /// [`resume_unwind`](std::panic::resume_unwind), so no panic message)
    /// to the dispatcher, which answers 503 and logs why. The handler never
    /// sees an empty session in place of the user's.
    pub(crate) fn with_state<R>(&self, f: impl FnOnce(&mut SessionState) -> R) -> R {
        match self.loaded() {
            Ok(state) => f(&mut state.lock().unwrap_or_else(PoisonError::into_inner)),
            Err(unavailable) => {
                std::panic::resume_unwind(Box::new(Unavailable(unavailable.0.clone())))
            }
        }
    }

    /// Runs `f` on the state if it was loaded (`Debug` must not load it).
    fn peek<R>(&self, f: impl FnOnce(&SessionState) -> R) -> Option<R> {
        let state = self.state.get()?.as_ref().ok()?;
        Some(f(&state.lock().unwrap_or_else(PoisonError::into_inner)))
    }

    /// What became of the session: whether it was read, and the cookie to
    /// send if it changed (for a server-side store, after its write).
    pub(crate) fn finish(&self) -> (bool, Saved) {
        let (Some(state), Some(store)) = (self.state.get(), &self.store) else {
            return (false, Saved::Ready(None));
        };
        let Ok(state) = state else {
            return (true, Saved::Ready(None));
        };
        let state = state.lock().unwrap_or_else(PoisonError::into_inner);
        (true, store.save(&state))
    }
}
