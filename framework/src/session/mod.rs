//! Sessions: values that follow one user from request to request, kept in a
//! cookie signed with the app's secret key (as Flask's `session`), and
//! flashed messages on top of them.
//!
//! The browser can read the session cookie but not change it: a value that
//! was tampered with, truncated, signed with an unknown key, or older than
//! the [session lifetime](crate::App::permanent_session_lifetime) reads as an
//! empty session. Since everything lives in the cookie, any number of app
//! instances sharing the secret key serve the same users.
//!
//! ```
//! use phial::prelude::*;
//!
//! #[route("/login", methods = ["POST"])]
//! fn login(request: &Request) -> Response {
//!     request.session.insert("username", request.form.get("username", ""));
//!     redirect("/")
//! }
//!
//! #[route("/")]
//! fn index(request: &Request) -> String {
//!     match request.session.get("username", None::<String>) {
//!         Some(username) => format!("Logged in as {username}"),
//!         None => "You are not logged in".to_owned(),
//!     }
//! }
//!
//! #[route("/logout")]
//! fn logout(request: &Request) -> Response {
//!     request.session.remove("username");
//!     redirect("/")
//! }
//! ```

mod config;
mod flash;
mod state;

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub(crate) use config::SessionSettings;
#[cfg(feature = "templates")]
pub(crate) use flash::template_flashes;
pub use flash::{
    flash, flash_with_category, get_flashed_messages, get_flashed_messages_with_categories,
};
#[cfg(feature = "fuzzing")]
pub(crate) use state::{decode_for_fuzzing, encode_for_fuzzing};
use state::{peek, with_state};
pub(crate) use state::{with_keys, Outgoing, RequestScope};

/// The session of the request being handled: [`request.session`](crate::Request::session).
///
/// Values are any serde type, stored as JSON in a signed cookie (`session`
/// by default) that is sent back only when the session changed. Reading or
/// writing the session adds `Vary: Cookie` to the response, so caches never
/// serve one user's page to another.
///
/// All methods take `&self`: the session belongs to the request's handling
/// (hooks, handler, error handlers, templates see the same one).
///
/// # Panics
///
/// Every method panics when called outside the handling of a request (from
/// a thread the handler started, say), and in a release build of an app
/// without a [secret key](crate::App::secret_key): both are programming
/// errors, answered 500 with a log line saying what to do.
#[derive(Clone, Copy, Default)]
pub struct Session {
    _private: (),
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
        with_state(|state| D::pick(state.values.get(key), default))
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
        with_state(|state| {
            state
                .values
                .get(key)
                .and_then(|value| T::deserialize(value).ok())
        })
    }

    /// Whether the session has a value for `key`.
    pub fn contains(&self, key: &str) -> bool {
        with_state(|state| state.values.contains_key(key))
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
        with_state(|state| {
            state.values.insert(key, value);
            state.modified = true;
        });
    }

    /// Removes `key`; says whether it was there.
    pub fn remove(&self, key: &str) -> bool {
        with_state(|state| {
            let removed = state.values.remove(key).is_some();
            state.modified |= removed;
            removed
        })
    }

    /// Removes every value (a logout); the browser's cookie is deleted.
    pub fn clear(&self) {
        with_state(|state| {
            if !state.values.is_empty() {
                state.values.clear();
                state.modified = true;
            }
        });
    }

    /// The keys, in order.
    pub fn keys(&self) -> Vec<String> {
        with_state(|state| state.values.keys().cloned().collect())
    }

    /// How many values the session holds.
    pub fn len(&self) -> usize {
        with_state(|state| state.values.len())
    }

    /// Whether the session holds nothing.
    pub fn is_empty(&self) -> bool {
        with_state(|state| state.values.is_empty())
    }

    /// Whether the session is permanent (see [`set_permanent`](Self::set_permanent)).
    pub fn is_permanent(&self) -> bool {
        with_state(|state| state.permanent)
    }

    /// Makes the session permanent (Flask's `session.permanent = True`, for
    /// "remember me"): its cookie gets a `Max-Age` of the
    /// [session lifetime](crate::App::permanent_session_lifetime) (31 days
    /// by default) and survives the browser's restart. A session that isn't
    /// permanent ends when the browser closes. Either way, a session cookie
    /// older than the lifetime reads as empty.
    pub fn set_permanent(&self, permanent: bool) {
        with_state(|state| {
            if state.permanent != permanent {
                state.permanent = permanent;
                state.modified = true;
            }
        });
    }

    /// Whether this request changed the session (it will be sent back).
    pub fn is_modified(&self) -> bool {
        with_state(|state| state.modified)
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never load the session just to print it.
        match peek(|state| format!("{:?}", state.values)) {
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
