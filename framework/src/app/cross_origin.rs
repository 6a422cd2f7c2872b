//! Cross-site request forgery protection without tokens, as Go 1.25's
//! `http.CrossOriginProtection`: an unsafe request (POST, PUT, PATCH,
//! DELETE, ...) that a browser says came from another site is refused.
//!
//! Browsers send `Sec-Fetch-Site` on every request (`same-origin`, `none`
//! for a typed URL or bookmark, `same-site`, `cross-site`); without it (an
//! older browser) `Origin` is compared with `Host`. A request with neither
//! header comes from no browser (curl, a server, the test client), so no
//! user's cookies can be abused through it: it passes, as in Go.

use http::StatusCode;

use super::application::{App, AppInner};
use super::endpoint::Endpoint;
use super::origin_check::is_safe;
use crate::{abort, IntoResponse, Request, Response};

/// The 403 answer to a request [`refused`], or `None` when it passes (or
/// the handler it goes to is exempt).
pub(super) fn refused(app: &AppInner, request: &Request) -> Option<Response> {
    if is_safe(request.method()) {
        return None;
    }
    let (status, description) = match app.cross_origin.refusal(request) {
        Some(reason) => (
            StatusCode::FORBIDDEN,
            format!(
                "Cross-origin request refused: {reason}. The form or script that sent it \
                 must be served by this site."
            ),
        ),
        None => (
            StatusCode::BAD_REQUEST,
            token_refusal(app, request)?.to_owned(),
        ),
    };
    if is_exempt(app, request) {
        return None;
    }
    tracing::warn!(
        "refused {} {}: {description}",
        request.method(),
        request.uri().path()
    );
    Some(abort(status).description(description).into_response())
}

/// Why the request's CSRF token doesn't do, when the app checks tokens.
fn token_refusal(app: &AppInner, request: &Request) -> Option<&'static str> {
    #[cfg(feature = "sessions")]
    if app.cross_origin.tokens {
        return crate::web::sessions::token_refusal(request);
    }
    let _ = (app, request);
    None
}

/// Whether the route `request` goes to is exempt, itself or through its
/// blueprint.
fn is_exempt(app: &AppInner, request: &Request) -> bool {
    let found = app.router.find(request.path());
    let exempt = found.candidates().any(|(route, _)| {
        route.methods.allows(request.method())
            && (app
                .cross_origin
                .exempt
                .contains(&route.endpoint.__type_id())
                || route
                    .blueprint
                    .is_some_and(|index| app.blueprints[index].csrf_exempt))
    });
    exempt
}

impl App {
    /// Turns cross-origin protection off (it is on by default): phial then
    /// serves unsafe requests (POST, PUT, PATCH, DELETE) whichever site's
    /// page sent them. Only for an app with no cookies a browser sends
    /// (sessions, logins) or with protection of its own.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn cross_origin_protection(mut self, enabled: bool) -> Self {
        self.inner_mut().cross_origin.enabled = enabled;
        self
    }

    /// Lets unsafe requests from `origin` through (`https://app.example.com`:
    /// scheme, host and port as the browser sends them in `Origin`), as
    /// Go's `AddTrustedOrigin`: a front end served from another origin.
    ///
    /// # Panics
    ///
    /// If `origin` is not `scheme://host[:port]` (a path, a query, no
    /// scheme): a bug in the app's setup.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn trust_origin(mut self, origin: &str) -> Self {
        let valid = origin.split_once("://").is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && !rest.is_empty()
                && !rest.contains(['/', '?', '#', '@'])
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+')
        });
        assert!(
            valid,
            "trust_origin(\"{origin}\"): an origin is `scheme://host[:port]`, as in \
             `https://app.example.com`"
        );
        let origin = origin.to_ascii_lowercase().into_boxed_str();
        self.inner_mut().cross_origin.trusted.push(origin);
        self
    }

    /// Lets unsafe requests from other origins of the same site through
    /// (`Sec-Fetch-Site: same-site`: `admin.example.com` posting to
    /// `example.com`). Off by default: a subdomain serving other people's
    /// content could forge requests.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn allow_same_site_requests(mut self, allowed: bool) -> Self {
        self.inner_mut().cross_origin.allow_same_site = allowed;
        self
    }

    /// Also requires the session's CSRF token on every unsafe request
    /// (POST, PUT, PATCH, DELETE), as Flask-WTF's `CSRFProtect`: in a form
    /// field `csrf_token` (templates write
    /// `<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">`)
    /// or an `X-CSRFToken` header. A request without it, or with another
    /// session's, is answered 400 with Flask-WTF's message ("The CSRF token
    /// is missing."). Exempt handlers and blueprints are not checked.
    /// Off by default: the cross-origin check needs no token.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[post("/comment")]
    /// fn comment() -> &'static str {
    ///     "saved"
    /// }
    ///
    /// let app = App::new().secret_key([7; 32]).csrf_tokens(true).route(comment);
    /// ```
    #[cfg(feature = "sessions")]
    #[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
    #[must_use = "the app does nothing until it is run or served"]
    pub fn csrf_tokens(mut self, required: bool) -> Self {
        self.inner_mut().cross_origin.tokens = required;
        self
    }

    /// Forbids other sites to show the app's pages in a frame, against
    /// clickjacking: every response gets `X-Frame-Options: DENY` and
    /// `Content-Security-Policy: frame-ancestors 'none'`, unless the
    /// handler set those headers itself (a page meant to be embedded).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn deny_framing(mut self) -> Self {
        self.inner_mut().deny_framing = true;
        self
    }

    /// Exempts `handler` from cross-origin protection (Flask-WTF's
    /// `csrf.exempt`): an API that authenticates each request with a token
    /// in a header, which a browser never adds by itself.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn csrf_exempt(mut self, handler: impl Endpoint) -> Self {
        let handler = handler.__type_id();
        self.inner_mut().cross_origin.exempt.insert(handler);
        self
    }
}
