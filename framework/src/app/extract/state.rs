//! App state: values registered once with `App::state`, borrowed by
//! handlers as `&State<T>`.

use std::any::{Any, TypeId};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use super::{AppCheck, FromRequest, RequestCx};

/// App state of type `T`, registered with [`App::state`](crate::App::state)
/// and taken by a handler as `&State<T>`; it derefs to `T`.
///
/// ```
/// use std::sync::Mutex;
///
/// use phial::prelude::*;
/// use phial::extract::State;
///
/// struct Counter(Mutex<u64>);
///
/// #[get("/")]
/// fn index(counter: &State<Counter>) -> String {
///     let mut count = counter.0.lock().unwrap();
///     *count += 1;
///     format!("visit {count}")
/// }
///
/// let app = App::new().state(Counter(Mutex::new(0))).route(index);
/// ```
///
/// A handler that takes `&State<T>` for a `T` the app never registered
/// makes the app refuse to start ([`App::run`](crate::App::run) returns
/// the error, [`App::test_client`](crate::App::test_client) panics), with
/// a message naming the handler, the parameter and the type: never a 500
/// at request time.
///
/// Why `&State<T>` (Rocket's form) rather than axum's `State<T>` or a
/// plain `&T`: the reference borrows the one value the app holds, so `T`
/// needs no `Clone` and a request costs no reference count; the `State`
/// wrapper says at the parameter where the value comes from, where a bare
/// `&T` would make every reference parameter mean "app state" and turn a
/// mistyped `&str` route variable into a state look-up. Shared mutable
/// state goes behind a `Mutex` or an atomic, as in any Rust server.
pub struct State<T>(T);

impl<T> State<T> {
    /// The value.
    pub fn inner(&self) -> &T {
        &self.0
    }
}

impl<T> Deref for State<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for State<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("State").field(&self.0).finish()
    }
}

impl<'a, T: Send + Sync + 'static> FromRequest<'a> for &'a State<T> {
    type Rejection = crate::Response;

    async fn from_request(cx: RequestCx<'a>) -> Result<Self, crate::Response> {
        // The start check made sure it is there.
        cx.state::<T>().ok_or_else(|| {
            tracing::error!(
                "no `{}` state registered, though the app's start check passed",
                std::any::type_name::<T>()
            );
            crate::http_core::response::error_page(http::StatusCode::INTERNAL_SERVER_ERROR)
        })
    }

    fn check(app: &AppCheck<'_>) -> Result<(), String> {
        app.require_state::<T>()
    }
}

/// The state values of an app, by type. A handful at most: finding one is
/// a scan comparing type ids, no hashing.
#[derive(Clone, Default)]
pub(crate) struct StateMap {
    values: Vec<(TypeId, Arc<dyn Any + Send + Sync>)>,
}

impl StateMap {
    /// Adds `value`.
    ///
    /// # Panics
    ///
    /// If a value of the same type is already there.
    pub(crate) fn insert<T: Send + Sync + 'static>(&mut self, value: T) {
        let id = TypeId::of::<T>();
        assert!(
            self.values.iter().all(|(other, _)| *other != id),
            "App::state: a `{}` is already registered; register each type once \
             (wrap two values of one type in types of their own)",
            std::any::type_name::<T>()
        );
        self.values.push((id, Arc::new(State(value))));
    }

    /// The value of type `T`.
    pub(crate) fn get<T: Send + Sync + 'static>(&self) -> Option<&State<T>> {
        let id = TypeId::of::<T>();
        self.values
            .iter()
            .find(|(other, _)| *other == id)
            .and_then(|(_, value)| value.downcast_ref::<State<T>>())
    }

    /// How many values there are.
    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }
}
