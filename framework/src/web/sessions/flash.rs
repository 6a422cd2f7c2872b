//! Flashed messages: a message stored in the session by one request and
//! shown (once) by the next, as Flask's `flash` and `get_flashed_messages`.

#[cfg(feature = "templates")]
use minijinja::value::{Kwargs, Value};

use crate::http_core::session::store::SessionState as State;
use crate::Request;

/// The session key flashed messages are kept under, as in Flask.
const FLASHES: &str = "_flashes";

/// Flashes `message` (category `"message"`) for the next page to show with
/// [`get_flashed_messages`], in a handler or a template.
///
/// ```
/// use phial::prelude::*;
/// use phial::flash;
///
/// #[route("/save", methods = ["POST"])]
/// fn save(request: &Request) -> Response {
///     flash(request, "Saved");
///     redirect("/")
/// }
/// ```
///
/// # Panics
///
/// As [`Session`](crate::Session)'s methods.
pub fn flash(request: &Request, message: impl Into<String>) {
    flash_with_category(request, "message", message);
}

/// Flashes `message` under `category` (Flask's `flash(message, category)`),
/// such as `"error"` or `"info"`.
///
/// # Panics
///
/// As [`Session`](crate::Session)'s methods.
pub fn flash_with_category(request: &Request, category: &str, message: impl Into<String>) {
    let message = message.into();
    request.session.with_state(|state| {
        let mut flashes = stored(state);
        flashes.push((category.to_owned(), message));
        state
            .values
            .insert(FLASHES.to_owned(), serde_json::json!(flashes));
        state.modified = true;
    });
}

/// The messages flashed for this request, oldest first; they are removed
/// from the session, and every later call in the same request (a template
/// included) returns them again.
///
/// ```
/// use phial::prelude::*;
///
/// #[route("/")]
/// fn index(request: &Request) -> String {
///     phial::get_flashed_messages(request).join("\n")
/// }
/// ```
///
/// In templates, `get_flashed_messages()` works as in Flask, with
/// `with_categories=true` and `category_filter=["error"]`:
///
/// ```text
/// {% for category, message in get_flashed_messages(with_categories=true) %}
///   <p class="{{ category }}">{{ message }}</p>
/// {% endfor %}
/// ```
///
/// # Panics
///
/// As [`Session`](crate::Session)'s methods.
pub fn get_flashed_messages(request: &Request) -> Vec<String> {
    get_flashed_messages_with_categories(request)
        .into_iter()
        .map(|(_, message)| message)
        .collect()
}

/// As [`get_flashed_messages`], with each message's category:
/// `(category, message)` pairs.
///
/// # Panics
///
/// As [`Session`](crate::Session)'s methods.
pub fn get_flashed_messages_with_categories(request: &Request) -> Vec<(String, String)> {
    request.session.with_state(take)
}

/// The flashes stored in the session (not yet taken).
fn stored(state: &State) -> Vec<(String, String)> {
    state
        .values
        .get(FLASHES)
        .and_then(|value| Vec::<(String, String)>::deserialize(value).ok())
        .unwrap_or_default()
}

/// Takes the flashes out of the session on the first call of a request;
/// later calls see the same ones.
fn take(state: &mut State) -> Vec<(String, String)> {
    if state.taken_flashes.is_none() {
        let flashes = stored(state);
        if state.values.remove(FLASHES).is_some() {
            state.modified = true;
        }
        state.taken_flashes = Some(flashes);
    }
    state.taken_flashes.clone().unwrap_or_default()
}

/// `get_flashed_messages(with_categories=false, category_filter=[])` for
/// templates.
#[cfg(feature = "templates")]
pub(crate) fn template_flashes(kwargs: Kwargs) -> Result<Value, minijinja::Error> {
    let with_categories: Option<bool> = kwargs.get("with_categories")?;
    let filter: Option<Vec<String>> = kwargs.get("category_filter")?;
    kwargs.assert_all_used()?;
    let flashes = crate::web::current::request(|request| request.session.with_state(take))
        .ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                "get_flashed_messages() needs a request being handled",
            )
        })?;
    let flashes = flashes.into_iter().filter(|(category, _)| {
        filter
            .as_ref()
            .is_none_or(|f| f.is_empty() || f.contains(category))
    });
    Ok(if with_categories.unwrap_or(false) {
        flashes
            .map(|(category, message)| {
                Value::from(vec![Value::from(category), Value::from(message)])
            })
            .collect()
    } else {
        flashes.map(|(_, message)| Value::from(message)).collect()
    })
}

use serde::Deserialize as _;
