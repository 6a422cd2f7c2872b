//! Flask's template globals `g`, `request` and `session`: objects that read
//! the request being answered (through [`crate::current`]) when a template
//! looks inside them, so a page that never uses them costs nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::value::{Object, Serde, Value};
use minijinja::Environment;

use crate::{Params, Request};

/// Adds `g`, `request` and `session` to `environment`'s globals.
pub(super) fn add(environment: &mut Environment<'static>) {
    environment.add_global("g", Value::from_object(GGlobal));
    environment.add_global("request", Value::from_object(RequestGlobal));
    #[cfg(feature = "sessions")]
    environment.add_global("session", Value::from_object(SessionGlobal));
}

/// Runs `f` on the request being answered, if any.
fn with_request(f: impl FnOnce(&Request) -> Option<Value>) -> Option<Value> {
    crate::web::current::request(f).flatten()
}

/// `g.name`: the value stored with `request.g.insert("name", ...)`.
#[derive(Debug)]
struct GGlobal;

impl Object for GGlobal {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        with_request(|request| request.g.template_value(name))
    }
}

/// `request.method`, `.path`, `.args`, `.form`, `.cookies`, `.remote_addr`,
/// `.scheme`, `.host`, `.is_secure`, `.script_root`, `.host_url`, `.url_root`
/// (`request.form['title']` reads the first value sent for `title`).
#[derive(Debug)]
struct RequestGlobal;

impl Object for RequestGlobal {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        with_request(|request| {
            Some(match key {
                "method" => Value::from(request.method().as_str()),
                "path" => Value::from(request.path()),
                "query_string" => Value::from(request.query_string().unwrap_or("")),
                "remote_addr" => Value::from(request.remote_addr().ip().to_string()),
                "scheme" => Value::from(request.scheme()),
                "host" => Value::from(request.host()),
                "is_secure" => Value::from(request.is_secure()),
                "script_root" => Value::from(request.script_root()),
                "host_url" => Value::from(request.host_url()),
                "url_root" => Value::from(request.url_root()),
                "args" => first_values(&request.args),
                "form" => first_values(&request.form),
                "cookies" => first_values(&request.cookies),
                _ => return None,
            })
        })
    }
}

/// The first value of each key, as a map (Werkzeug's `MultiDict[key]`).
fn first_values(params: &Params) -> Value {
    let mut map = BTreeMap::new();
    for (key, value) in params.iter() {
        map.entry(key).or_insert(value);
    }
    Value::from(Serde(&map))
}

/// `session.name`: the session's values (reading them makes the response
/// vary by `Cookie`, as reading them in Rust does).
#[cfg(feature = "sessions")]
#[derive(Debug)]
struct SessionGlobal;

#[cfg(feature = "sessions")]
impl Object for SessionGlobal {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        with_request(|request| {
            request
                .session
                .with_state(|state| state.values.get(key).map(|value| Value::from(Serde(value))))
        })
    }
}
