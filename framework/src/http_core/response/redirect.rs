//! Redirects, as Flask's `redirect()`.

use http::header::{HeaderValue, LOCATION};
use http::StatusCode;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use super::{Body, Response, TEXT_HTML};

/// What a `Location` header can't hold raw: controls, space, non-ASCII
/// (encoded as UTF-8 percent escapes, as Werkzeug's `iri_to_uri` does).
const LOCATION_UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// A `302 Found` redirect to `location`, as Flask's `redirect(location)`.
///
/// Non-ASCII characters, spaces and control characters (a CR/LF that would
/// split the header, say) are percent-encoded, so the header is always valid.
///
/// ```
/// use phial::prelude::*;
/// use phial::redirect;
///
/// #[get("/old")]
/// fn old() -> Response {
///     redirect("/new")
/// }
/// ```
pub fn redirect(location: &str) -> Response {
    redirect_with(location, StatusCode::FOUND)
}

/// A redirect to `location` with `status`: `301`, `302`, `303`, `307` or `308`.
///
/// # Panics
///
/// If `status` is not one of those redirect codes: that is a mistake in the
/// app, not something a client can cause.
///
/// ```
/// use phial::{redirect_with, StatusCode};
///
/// let response = redirect_with("/login", StatusCode::SEE_OTHER);
/// assert_eq!(response.headers()["location"], "/login");
/// ```
pub fn redirect_with(location: &str, status: StatusCode) -> Response {
    assert!(
        matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308),
        "redirect_with needs a redirect status (301, 302, 303, 307 or 308), got {status}"
    );
    let encoded = utf8_percent_encode(location, LOCATION_UNSAFE).to_string();
    let escaped = crate::http_core::escape::escape(&encoded);
    let html = format!(
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n\
         <p>You should be redirected automatically to the target URL: <a href=\"{escaped}\">{escaped}</a>. \
         If not, click the link.\n"
    );
    let mut response = Response::from_parts(status, Some(TEXT_HTML), Body::from(html));
    let location = HeaderValue::try_from(encoded).expect("percent-encoded text is a valid header");
    response.headers_mut().insert(LOCATION, location);
    response
}

/// Whether `target` (a user-supplied `next=` value, say) is a path on this
/// site, safe to redirect to: it starts with one `/`, and neither it nor its
/// percent-decoded form holds a backslash, a control character or a second
/// leading `/` (browsers read `//evil.com` and `/\evil.com` as another
/// host, and a tab or newline can hide either). Schemes (`https:`,
/// `javascript:`) never start with `/`, so they are refused too.
///
/// ```
/// use phial::is_local_redirect;
///
/// assert!(is_local_redirect("/private?tab=1"));
/// assert!(!is_local_redirect("//evil.com"));
/// assert!(!is_local_redirect("/%5Cevil.com"));
/// assert!(!is_local_redirect("https://evil.com"));
/// ```
pub fn is_local_redirect(target: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
    [target, decoded.as_ref()].iter().all(|text| {
        text.starts_with('/')
            && !text.starts_with("//")
            && !text.contains('\\')
            && !text.chars().any(char::is_control)
    })
}

/// A `302` redirect to `target` if it is a local path (see
/// [`is_local_redirect`]), else to `fallback`: the safe way to follow a
/// `next=` parameter after a login.
///
/// ```
/// use phial::redirect_local;
///
/// let response = redirect_local("https://evil.com", "/");
/// assert_eq!(response.headers()["location"], "/");
/// let response = redirect_local("/private", "/");
/// assert_eq!(response.headers()["location"], "/private");
/// ```
pub fn redirect_local(target: &str, fallback: &str) -> Response {
    redirect(if is_local_redirect(target) {
        target
    } else {
        fallback
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_what_a_header_cannot_hold() {
        let response = redirect("/a b/ü?x=1\r\nSet-Cookie: evil=1");
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(
            response.headers()["location"],
            "/a%20b/%C3%BC?x=1%0D%0ASet-Cookie:%20evil=1"
        );
    }

    #[test]
    fn only_local_paths_are_safe_redirects() {
        for safe in ["/", "/private", "/a/b?next=/c#top", "/%C3%A9t%C3%A9"] {
            assert!(is_local_redirect(safe), "{safe}");
        }
        for unsafe_target in [
            "https://evil.com",
            "//evil.com",
            "/\\evil.com",
            "/%5Cevil.com",
            "/%09/evil.com",
            "/%2F/evil.com",
            "https:evil.com",
            "javascript:alert(1)",
            "/a\r\nSet-Cookie: x=1",
            "/a%0d%0aSet-Cookie: x=1",
            "evil.com",
            "",
        ] {
            assert!(!is_local_redirect(unsafe_target), "{unsafe_target}");
        }
    }

    #[test]
    #[should_panic(expected = "redirect status")]
    fn refuses_non_redirect_statuses() {
        let _ = redirect_with("/", StatusCode::OK);
    }
}
