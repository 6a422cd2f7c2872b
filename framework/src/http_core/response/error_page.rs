//! Small HTML error pages, worded as Werkzeug's.

use http::StatusCode;

use super::{Body, Response, TEXT_HTML};
use crate::http_core::escape::escape;

/// The error page for `status`, as Flask shows it.
pub(crate) fn error_page(status: StatusCode) -> Response {
    error_page_with(status, description(status))
}

/// The error page for `status` saying `description` (plain text), escaped
/// as Werkzeug does (MarkupSafe's entities, a line break as `<br>`).
pub(crate) fn error_page_described(status: StatusCode, description: &str) -> Response {
    let html = escape(description).replace('\n', "<br>");
    error_page_with(status, &html)
}

/// The error page for `status` saying `text` (HTML).
fn error_page_with(status: StatusCode, text: &str) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let html = format!(
        "<!doctype html>\n<html lang=en>\n<title>{code} {reason}</title>\n<h1>{reason}</h1>\n<p>{text}</p>\n",
        code = status.as_u16(),
    );
    let mut response = Response::from_parts(status, Some(TEXT_HTML), Body::from(html));
    response.is_error_page = true;
    response
}

fn description(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "The browser (or proxy) sent a request that this server could not understand.",
        401 => "The server could not verify that you are authorized to access the URL requested.",
        403 => "You don&#39;t have the permission to access the requested resource. It is either read-protected or not readable by the server.",
        404 => "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
        405 => "The method is not allowed for the requested URL.",
        408 => "The server closed the network connection because the browser didn&#39;t finish the request within the specified time.",
        413 => "The data value transmitted exceeds the capacity limit.",
        414 => "The length of the requested URL exceeds the capacity limit for this server. The request cannot be processed.",
        431 => "One or more header fields exceeds the maximum size.",
        500 => "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.",
        503 => "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.",
        _ => "The server could not complete the request.",
    }
}
