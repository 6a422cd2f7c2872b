//! Routing a request to its handler and starting it, or answering without
//! one: 405 with `Allow`, OPTIONS, Flask's slash redirect, static files,
//! 404. The handler's blueprint's before-request hooks run first.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;

use http::header::ALLOW;
use http::{Method, StatusCode};

use super::application::AppInner;
use super::endpoint::{Reply, RouteParams};
use super::extract::RequestCx;
use super::panicked::Panicked;
use super::routing::methods::MethodSet;
use crate::http_core::response::{error_page, Body, TEXT_HTML};
use crate::{Request, Response};

/// What routing a request gave: a response (or a panic), or a future to
/// await for it. `respond` is no `async fn`, so `answer` awaits the
/// handler's future itself, one layer fewer to move and poll.
// The response inline: boxing it would cost an allocation per request.
#[allow(clippy::large_enum_variant)]
pub(super) enum Routed<'a> {
    /// The response, or the panic of a synchronous handler.
    Done(Result<Response, Panicked>),
    /// An `async` handler's future (a panic in it is caught), and the
    /// handler's name for the log.
    Handler(Pin<Box<dyn Future<Output = Response> + Send + 'a>>, &'a str),
    /// A static file being read.
    File(Pin<Box<dyn Future<Output = Response> + Send + 'a>>),
}

/// Routes the request and starts its handler, after the before-request
/// hooks of the handler's blueprint (whose index goes to `blueprint`).
pub(super) fn respond<'a>(
    app: &'a AppInner,
    request: &'a Request,
    blueprint: &mut Option<usize>,
) -> Routed<'a> {
    let found = app.router.find(request.path());
    let method = request.method();
    // Methods of the routes that match the path, for 405 and OPTIONS. A
    // route that answers this method but whose variables don't convert (an
    // `int` too large for a `u8`) doesn't match: it adds nothing, so a path
    // no route can take is a 404, not a 405 naming the method just refused.
    let mut allowed = MethodSet::default();
    for (route, spans) in found.candidates() {
        if !route.methods.allows(method) {
            allowed = allowed.union(route.methods);
            continue;
        }
        let params = RouteParams {
            path: request.path(),
            spans,
        };
        if let (Some(index), None) = (route.blueprint, *blueprint) {
            *blueprint = Some(index);
            if let Some(outcome) = blueprint_before(app, index, request) {
                return Routed::Done(outcome);
            }
        }
        let name = route.name();
        let cx = RequestCx::new(request, &app.state);
        let reply = match catch_unwind(AssertUnwindSafe(|| route.endpoint.__call(cx, &params))) {
            Ok(Some(reply)) => reply,
            Ok(None) => continue,
            Err(panic) => {
                let panicked = Panicked::new(app, &format!("handler `{name}`"), request, panic);
                return Routed::Done(Err(panicked));
            }
        };
        return match reply {
            Reply::Ready(response) => Routed::Done(Ok(response)),
            Reply::Pending(future) => Routed::Handler(future, name),
        };
    }
    if !allowed.is_empty() {
        let allow = allowed.union(MethodSet::OPTIONS).to_allow_header();
        let status = if *method == Method::OPTIONS {
            StatusCode::OK
        } else {
            StatusCode::METHOD_NOT_ALLOWED
        };
        // OPTIONS as Flask answers it: an empty HTML body.
        let mut response = if status == StatusCode::OK {
            Response::from_parts(status, Some(TEXT_HTML), Body::empty())
        } else {
            error_page(status)
        };
        response.set_header(ALLOW, allow);
        return Routed::Done(Ok(response));
    }
    if found.redirect_with_slash() {
        return Routed::Done(Ok(redirect_with_slash(request)));
    }
    let static_files = app.static_files.iter().chain(&app.blueprint_static_files);
    for config in static_files {
        if let Some(filename) = config.filename(request.path()) {
            let response = match *method {
                Method::GET | Method::HEAD => {
                    let file =
                        crate::web::static_files::send_from_directory(&config.folder, filename);
                    return Routed::File(Box::pin(file));
                }
                Method::OPTIONS => {
                    let mut response =
                        Response::from_parts(StatusCode::OK, Some(TEXT_HTML), Body::empty());
                    response.set_header(ALLOW, "GET, HEAD, OPTIONS");
                    response
                }
                _ => {
                    let mut response = error_page(StatusCode::METHOD_NOT_ALLOWED);
                    response.set_header(ALLOW, "GET, HEAD, OPTIONS");
                    response
                }
            };
            return Routed::Done(Ok(response));
        }
    }
    Routed::Done(Ok(error_page(StatusCode::NOT_FOUND)))
}

/// Runs the before-request hooks of blueprint `index`: the response of the
/// first that answers, or its panic.
fn blueprint_before(
    app: &AppInner,
    index: usize,
    request: &Request,
) -> Option<Result<Response, Panicked>> {
    for hook in &app.blueprints[index].hooks.before {
        match catch_unwind(AssertUnwindSafe(|| hook(request))) {
            Ok(None) => {}
            Ok(Some(response)) => return Some(Ok(response)),
            Err(panic) => {
                let what = "a blueprint's before_request hook";
                return Some(Err(Panicked::new(app, what, request, panic)));
            }
        }
    }
    None
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
    crate::redirect_with(&location, StatusCode::PERMANENT_REDIRECT)
}
