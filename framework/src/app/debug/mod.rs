//! Debug mode: where a panic happened, or the error a handler returned,
//! shown on the 500 page with the request that caused it. Off unless asked
//! for.

mod cookie_rules;
mod cookies;
mod page;
mod request;
mod source;

use std::backtrace::Backtrace;
use std::cell::RefCell;
use std::sync::Once;

use crate::{Request, Response};
pub(crate) use cookies::CookieExplainer;
use page::Page;
pub(crate) use request::Matched;

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

/// The debug 500 page of a panic: its message, where it happened (with
/// the source), the app's frames of the backtrace with theirs, the rest
/// collapsed, and the request in full. Its text goes to the log too.
pub(crate) fn panic_page(
    route: Option<Matched<'_>>,
    request: &Request,
    message: &str,
    details: Option<&PanicDetails>,
    cookie_warnings: &[String],
) -> Response {
    let mut page = Page::default();
    page.title(&format!("panic: {message}"));
    match details {
        Some(details) => {
            source::write_location(&mut page, &details.location);
            source::write_backtrace(&mut page, &details.backtrace);
        }
        None => page.line("at an unknown location"),
    }
    request::write_request(&mut page, route, request);
    write_cookie_warnings(&mut page, cookie_warnings);
    tracing::error!(
        "debug page for {} {}:\n{}",
        request.method(),
        request.uri(),
        page.text()
    );
    page.finish()
}

/// The debug 500 page of an error a handler returned: the error, each of
/// its causes, a template's lines around the failing one, the backtrace
/// the error carries (if any), and the request in full.
pub(crate) fn error_page(
    route: Option<Matched<'_>>,
    request: &Request,
    error: &crate::Error,
    cookie_warnings: &[String],
) -> Response {
    let mut page = Page::default();
    page.title(&format!("error: {error}"));
    let mut source = error.source();
    if source.is_some() {
        page.heading("Caused by");
    }
    while let Some(cause) = source {
        page.line(&cause.to_string());
        source = cause.source();
    }
    #[cfg(feature = "templates")]
    write_template_error(&mut page, error);
    request::write_request(&mut page, route, request);
    write_cookie_warnings(&mut page, cookie_warnings);
    tracing::error!(
        "debug page for {} {}:\n{}",
        request.method(),
        request.uri(),
        page.text()
    );
    page.finish()
}

/// The cookie explainer's recent warnings, if any.
fn write_cookie_warnings(page: &mut Page, warnings: &[String]) {
    if warnings.is_empty() {
        return;
    }
    page.heading("Cookies the browser will reject or not send back (recent)");
    for warning in warnings {
        page.line(warning);
    }
}

/// A template error's template and lines (minijinja's debug view).
#[cfg(feature = "templates")]
fn write_template_error(page: &mut Page, error: &crate::Error) {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(&**error);
    while let Some(error) = current {
        if let Some(template) = error.downcast_ref::<minijinja::Error>() {
            page.heading("Template");
            if let (Some(name), Some(line)) = (template.name(), template.line()) {
                page.line(&format!("{name}, line {line}"));
            }
            let info = template.display_debug_info().to_string();
            if !info.is_empty() {
                page.pre(&info);
            }
            return;
        }
        current = error.source();
    }
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
