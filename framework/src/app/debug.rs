//! Debug mode: where a panic happened, or the error a handler returned,
//! shown on the 500 page with the request that caused it. Off unless asked
//! for.

use std::backtrace::Backtrace;
use std::cell::RefCell;
use std::fmt::Write;
use std::sync::Once;

use http::StatusCode;

use crate::http_core::escape::escape;
use crate::http_core::response::{Body, TEXT_HTML};
use crate::{Request, Response};

/// What the panic hook saw.
#[derive(Debug)]
pub(crate) struct PanicDetails {
    pub(crate) location: String,
    pub(crate) backtrace: String,
}

thread_local! {
    static LAST_PANIC: RefCell<Option<PanicDetails>> = const { RefCell::new(None) };
}

/// Installs (once per process) a panic hook that records where each panic
/// happened for [`take_last_panic`], then runs the hook that was there.
pub(crate) fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let location = info
                .location()
                .map_or_else(|| "unknown".to_owned(), ToString::to_string);
            let backtrace = Backtrace::force_capture().to_string();
            LAST_PANIC.with(|last| {
                *last.borrow_mut() = Some(PanicDetails {
                    location,
                    backtrace,
                });
            });
            previous(info);
        }));
    });
}

/// The details of the last panic on this thread, if the hook recorded one.
pub(crate) fn take_last_panic() -> Option<PanicDetails> {
    LAST_PANIC.with(|last| last.borrow_mut().take())
}

/// The debug 500 page: the panic, where it happened, and the request.
pub(crate) fn panic_page(
    request: &Request,
    message: &str,
    details: Option<&PanicDetails>,
) -> Response {
    let mut html = String::new();
    let _ = write!(
        html,
        "<h1>panic: {}</h1>\n<p>at <code>{}</code></p>\n",
        escape(message),
        escape(details.map_or("an unknown location", |d| d.location.as_str()))
    );
    write_request(&mut html, request);
    if let Some(details) = details {
        let _ = write!(
            html,
            "<h2>Backtrace</h2>\n<pre>{}</pre>\n",
            escape(&details.backtrace)
        );
    }
    page(html)
}

/// The debug 500 page of an error a handler returned: the error, each of
/// its causes, and the request.
pub(crate) fn error_page(request: &Request, error: &crate::Error) -> Response {
    let mut html = String::new();
    let _ = writeln!(html, "<h1>error: {}</h1>", escape(&error.to_string()));
    let mut source = error.source();
    if source.is_some() {
        html.push_str("<h2>Caused by</h2>\n<ol>\n");
    }
    while let Some(cause) = source {
        let _ = writeln!(html, "<li>{}</li>", escape(&cause.to_string()));
        source = cause.source();
    }
    if error.source().is_some() {
        html.push_str("</ol>\n");
    }
    write_request(&mut html, request);
    page(html)
}

/// The request's method, URL, headers and cookies, for a debug page.
fn write_request(html: &mut String, request: &Request) {
    let _ = write!(
        html,
        "<h2>Request</h2>\n<p><code>{} {}</code></p>\n<h3>Headers</h3>\n<table>\n",
        escape(request.method().as_str()),
        escape(&request.uri().to_string())
    );
    for (name, value) in request.headers() {
        let _ = writeln!(
            html,
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(name.as_str()),
            escape(&String::from_utf8_lossy(value.as_bytes()))
        );
    }
    html.push_str("</table>\n<h3>Cookies</h3>\n<table>\n");
    for (name, value) in request.cookies.iter() {
        let _ = writeln!(
            html,
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(name),
            escape(value)
        );
    }
    html.push_str("</table>\n");
}

/// A debug 500 page around `body`.
fn page(body: String) -> Response {
    let mut html = String::from(
        "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error (debug)</title>\n",
    );
    html.push_str(&body);
    html.push_str("<p>Debug mode is on: never enable it in production.</p>\n");
    Response::from_parts(
        StatusCode::INTERNAL_SERVER_ERROR,
        Some(TEXT_HTML),
        Body::from(html),
    )
}

/// Whether the environment asks for debug mode (`PHIAL_DEBUG=1` or `true`).
pub(crate) fn from_environment() -> bool {
    std::env::var("PHIAL_DEBUG").is_ok_and(|value| {
        matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        )
    })
}
