//! CSRF tokens, Flask-WTF's model: a random token kept in the session,
//! written into each form as a hidden field, and compared in constant time
//! when the form comes back.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use subtle::ConstantTimeEq;

use crate::Request;

/// The session key holding the token, and the form field carrying it
/// (Flask-WTF's names).
pub(crate) const FIELD: &str = "csrf_token";

/// The header a script sends the token in (Flask-WTF's `X-CSRFToken`).
pub(crate) const HEADER: &str = "x-csrftoken";

/// The CSRF token of `request`'s session, made (and kept in the session)
/// on first use, as Flask-WTF's `generate_csrf()`. Put it in every form
/// that posts to an app with [`App::csrf_tokens`](crate::App::csrf_tokens)
/// on (templates call `csrf_token()`), or send it in an `X-CSRFToken`
/// header from a script.
///
/// ```
/// use phial::prelude::*;
///
/// #[get("/form")]
/// fn form(request: &Request) -> String {
///     let token = phial::csrf_token(request);
///     format!(r#"<form method="post"><input type="hidden" name="csrf_token" value="{token}">"#)
/// }
/// ```
///
/// # Panics
///
/// If the operating system has no randomness to give, or as the
/// [`Session`](crate::Session)'s methods do.
pub fn csrf_token(request: &Request) -> String {
    if let Some(token) = request.session.get_as::<String>(FIELD) {
        return token;
    }
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source");
    let token = URL_SAFE_NO_PAD.encode(bytes);
    request.session.insert(FIELD, &token);
    token
}

/// Why an unsafe request's token doesn't do, Flask-WTF's words, or `None`
/// when it matches the session's.
pub(crate) fn token_refusal(request: &Request) -> Option<&'static str> {
    let sent = request
        .header(HEADER)
        .or_else(|| request.form.get(FIELD, None))
        .filter(|sent| !sent.is_empty());
    let Some(sent) = sent else {
        return Some("The CSRF token is missing.");
    };
    let Some(expected) = request.session.get_as::<String>(FIELD) else {
        return Some("The CSRF session token is missing.");
    };
    if bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
        None
    } else {
        Some("The CSRF tokens do not match.")
    }
}
