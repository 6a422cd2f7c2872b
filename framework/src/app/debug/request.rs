//! The request in full, for the debug page: what it asked, the route it
//! went to, its arguments, form, cookies, session, `g` and headers.

use super::page::Page;
use crate::Request;

/// The route a request went to: its pattern and endpoint name.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Matched<'a> {
    pub(crate) pattern: &'a str,
    pub(crate) name: &'a str,
}

/// Writes every section about `request`; an empty one says "none".
pub(super) fn write_request(page: &mut Page, route: Option<Matched<'_>>, request: &Request) {
    page.heading("Request");
    let uri = request.uri();
    page.table([
        ("method", request.method().as_str().to_owned()),
        (
            "URL",
            uri.path_and_query()
                .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned()),
        ),
        (
            "route",
            route.map_or_else(|| "none matched".to_owned(), |r| r.pattern.to_owned()),
        ),
        (
            "handler",
            route.map_or_else(|| "none".to_owned(), |r| r.name.to_owned()),
        ),
        ("client", request.remote_addr().to_string()),
    ]);
    page.heading("Query arguments");
    page.table(request.args.iter().map(|(k, v)| (k, v.to_owned())));
    page.heading("Form fields");
    page.table(request.form.iter().map(|(k, v)| (k, v.to_owned())));
    page.heading("Cookies");
    page.table(request.cookies.iter().map(|(k, v)| (k, v.to_owned())));
    page.heading("Session");
    write_session(page, request);
    page.heading("g");
    let names = request.g.names();
    page.table(
        names
            .iter()
            .map(|name| (name.as_str(), g_value(request, name))),
    );
    page.heading("Headers");
    page.table(request.headers().iter().map(|(name, value)| {
        (
            name.as_str(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        )
    }));
}

#[cfg(feature = "sessions")]
fn write_session(page: &mut Page, request: &Request) {
    match request.session.decoded() {
        Some(entries) => page.table(entries.iter().map(|(k, v)| (k.as_str(), v.clone()))),
        None => page.line("no session: the app has no secret key"),
    }
}

#[cfg(not(feature = "sessions"))]
fn write_session(page: &mut Page, _request: &Request) {
    page.line("none: phial was built without the `sessions` feature");
}

/// How `g.name` shows in a template, or that it holds a Rust value.
fn g_value(request: &Request, name: &str) -> String {
    #[cfg(feature = "templates")]
    if let Some(value) = request.g.template_value(name) {
        return value.to_string();
    }
    let _ = (request, name);
    "(a Rust value)".to_owned()
}
