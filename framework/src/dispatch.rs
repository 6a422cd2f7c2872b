//! From a request to a response: routing, automatic HEAD and OPTIONS, 404,
//! 405 and slash redirects, panics turned into 500. Shared by the server and
//! the test client.

use std::any::Any;
use std::future::Future;
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::time::Instant;

use bytes::Bytes;
use futures_util::FutureExt;
use http::header::{HeaderValue, ALLOW, CONTENT_LENGTH, LOCATION};
use http::{Method, StatusCode};

use crate::app::AppInner;
use crate::endpoint::{Reply, RouteParams};
use crate::response::{error_page, Body};
use crate::routing::methods::MethodSet;
use crate::{Request, Response};

/// Answers one request whose body has been read.
pub(crate) async fn handle(
    app: &AppInner,
    parts: http::request::Parts,
    body: Bytes,
    remote_addr: SocketAddr,
) -> http::Response<Body> {
    let started = Instant::now();
    let method = parts.method.clone();
    let target = parts.uri.clone();
    let version = parts.version;
    let response = match Request::new(parts, body, remote_addr) {
        Ok(request) => respond(app, &request).await,
        Err(error) => {
            tracing::info!("{remote_addr} sent a bad request: {error}");
            error_page(StatusCode::BAD_REQUEST)
        }
    };
    let mut response = finish(app, response, &method);
    tracing::info!(
        target: "phial::access",
        "{remote_addr} \"{method} {target} {version:?}\" {} {:.3}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0,
    );
    if method == Method::HEAD {
        *response.body_mut() = Body::empty();
    }
    response
}

/// Writes cookies into headers (a cookie that can't be written is the app's
/// bug: 500) and gives HEAD responses the length of the GET body.
fn finish(app: &AppInner, response: Response, method: &Method) -> http::Response<Body> {
    let length = response.body().len();
    let mut response = match response.into_http_for(Some(&app.cookies)) {
        Ok(response) => response,
        Err(message) => {
            tracing::error!("the response could not be sent: {message}");
            error_page(StatusCode::INTERNAL_SERVER_ERROR)
                .into_http()
                .unwrap_or_default()
        }
    };
    if method == Method::HEAD && !response.headers().contains_key(CONTENT_LENGTH) {
        response
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
    response
}

async fn respond(app: &AppInner, request: &Request) -> Response {
    let found = app.router.find(request.path());
    let method = request.method();
    let mut allowed = MethodSet::default();
    for (route, spans) in &found.candidates {
        allowed = allowed.union(route.methods);
        if !route.methods.allows(method) {
            continue;
        }
        let params = RouteParams {
            path: request.path(),
            spans,
        };
        let name = route.name();
        let reply = match catch_unwind(AssertUnwindSafe(|| route.endpoint.__call(request, &params)))
        {
            Ok(Some(reply)) => reply,
            Ok(None) => continue,
            Err(panic) => return panicked(app, name, request, panic),
        };
        return match reply {
            Reply::Ready(response) => response,
            Reply::Pending(future) => run_catching(app, name, request, future).await,
        };
    }
    if !allowed.is_empty() {
        let allow = allowed.union(MethodSet::OPTIONS).to_allow_header();
        let status = if *method == Method::OPTIONS {
            StatusCode::OK
        } else {
            StatusCode::METHOD_NOT_ALLOWED
        };
        let mut response = if status == StatusCode::OK {
            Response::from_parts(status, None, Body::empty())
        } else {
            error_page(status)
        };
        response.set_header(ALLOW, allow);
        return response;
    }
    if found.redirect_with_slash {
        return redirect_with_slash(request);
    }
    error_page(StatusCode::NOT_FOUND)
}

async fn run_catching(
    app: &AppInner,
    name: &'static str,
    request: &Request,
    future: impl Future<Output = Response>,
) -> Response {
    match AssertUnwindSafe(future).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => panicked(app, name, request, panic),
    }
}

fn panicked(app: &AppInner, name: &str, request: &Request, panic: Box<dyn Any + Send>) -> Response {
    app.panics.fetch_add(1, Ordering::Relaxed);
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    tracing::error!(
        "handler `{name}` panicked on {} {}: {message}",
        request.method(),
        request.uri()
    );
    error_page(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Flask's rule: `/projects` redirects to the route `/projects/` (308, so a
/// POST stays a POST), keeping the query string.
fn redirect_with_slash(request: &Request) -> Response {
    let uri = request.uri();
    let mut location = String::with_capacity(uri.path().len() + 2);
    location.push_str(uri.path());
    location.push('/');
    if let Some(query) = uri.query() {
        location.push('?');
        location.push_str(query);
    }
    let mut response = error_page(StatusCode::PERMANENT_REDIRECT);
    match HeaderValue::try_from(location) {
        Ok(location) => {
            response.headers_mut().insert(LOCATION, location);
            response
        }
        Err(_) => error_page(StatusCode::NOT_FOUND),
    }
}
