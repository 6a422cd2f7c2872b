//! `g`: a per-request namespace, as Flask's `g` — what a hook loads once
//! (the logged-in user, say) for the handler and the templates to use.

use std::any::Any;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

/// Values stored for one request by name, as Flask's `g`:
/// [`request.g`](crate::Request::g).
///
/// A `before_request` hook stores, the handler and the templates read
/// (`{{ g.user.name }}`, `{% if g.user %}`). Values are typed on the Rust
/// side: [`get`](Self::get) names the type it wants, and a value of
/// another type reads as absent. They must be `Serialize` so templates can
/// show them, and `Clone`: `get` hands out a copy (wrap a large value in
/// an `Arc`). Application-wide values (a database pool, settings) belong
/// in [app state](crate::App::state), not here.
///
/// ```
/// use phial::prelude::*;
///
/// #[derive(Clone, serde::Serialize)]
/// struct User { name: String }
///
/// #[get("/")]
/// fn index(request: &Request) -> String {
///     match request.g.get::<User>("user") {
///         Some(user) => format!("Hello, {}", user.name),
///         None => "Hello, stranger".to_owned(),
///     }
/// }
///
/// let app = App::new().route(index).before_request(|request| {
///     if let Some(name) = request.cookies.get("name", None) {
///         request.g.insert("user", User { name: name.to_owned() });
///     }
///     None::<Response>
/// });
/// ```
#[derive(Default)]
pub struct G {
    // No allocation until something is stored.
    values: Mutex<Vec<(String, Box<dyn Entry>)>>,
}

/// A stored value, with what templates need to show it.
trait Entry: Any + Send + Sync {
    fn as_any(&self) -> &dyn Any;

    #[cfg(feature = "templates")]
    fn to_template(&self) -> minijinja::Value;
}

impl<T: Serialize + Send + Sync + 'static> Entry for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    #[cfg(feature = "templates")]
    fn to_template(&self) -> minijinja::Value {
        minijinja::Value::from(minijinja::value::Serde(self))
    }
}

impl G {
    /// Stores `value` as `name` (Flask's `g.name = value`), replacing what
    /// was there.
    pub fn insert<T>(&self, name: impl Into<String>, value: T)
    where
        T: Serialize + Clone + Send + Sync + 'static,
    {
        let name = name.into();
        let mut values = self.lock();
        let entry: Box<dyn Entry> = Box::new(value);
        match values.iter_mut().find(|(stored, _)| *stored == name) {
            Some(slot) => slot.1 = entry,
            None => values.push((name, entry)),
        }
    }

    /// A copy of the value stored as `name`, if there is one of type `T`.
    pub fn get<T: Clone + 'static>(&self, name: &str) -> Option<T> {
        self.lock()
            .iter()
            .find(|(stored, _)| stored == name)
            .and_then(|(_, entry)| entry.as_any().downcast_ref::<T>().cloned())
    }

    /// Whether a value is stored as `name` (Flask's `'name' in g`).
    pub fn contains(&self, name: &str) -> bool {
        self.lock().iter().any(|(stored, _)| stored == name)
    }

    /// Removes the value stored as `name` (Flask's `g.pop(name)`); says
    /// whether there was one.
    pub fn remove(&self, name: &str) -> bool {
        let mut values = self.lock();
        let before = values.len();
        values.retain(|(stored, _)| stored != name);
        values.len() != before
    }

    /// The names stored, in order.
    pub fn names(&self) -> Vec<String> {
        self.lock().iter().map(|(name, _)| name.clone()).collect()
    }

    /// The value stored as `name`, as templates see it.
    #[cfg(feature = "templates")]
    pub(crate) fn template_value(&self, name: &str) -> Option<minijinja::Value> {
        self.lock()
            .iter()
            .find(|(stored, _)| stored == name)
            .map(|(_, entry)| entry.to_template())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, Box<dyn Entry>)>> {
        self.values.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for G {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("G").field(&self.names()).finish()
    }
}
