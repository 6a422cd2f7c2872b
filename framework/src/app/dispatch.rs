//! From a request to a response: routing, automatic HEAD and OPTIONS, 404,
//! 405 and slash redirects, panics turned into 500. Shared by the server and
//! the test client.

use std::any::Any;
use std::future::Future;
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::sync::atomic::Ordering;
use std::time::Instant;

use bytes::Bytes;
use futures_util::FutureExt;
use http::header::{HeaderValue, ALLOW, CONTENT_LENGTH, VARY};
use http::{Method, StatusCode, Uri, Version};

use crate::app::application::AppInner;
use crate::app::endpoint::{Reply, RouteParams};
use crate::app::extract::RequestCx;
use crate::app::routing::methods::MethodSet;
use crate::http_core::response::{error_page, Body};
use crate::server::{access_log_started, log_access};
use crate::web::sessions::Outgoing;
use crate::{Request, Response};

/// Answers one request whose body has been read (the test client's way in;
/// the server builds a [`Prepared`] itself).
#[cfg(feature = "test-client")]
pub(crate) async fn handle(
    app: &AppInner,
    parts: http::request::Parts,
    body: Bytes,
    remote_addr: SocketAddr,
) -> http::Response<Body> {
    Prepared::new(app, parts, body, remote_addr)
        .answer(app)
        .await
}

/// A request built from its parts and body, with what its access-log line
/// and a HEAD response need, ready to be answered.
///
/// The server keeps it in its own future and [`answer`](Self::answer)
/// borrows it: an `async fn` taking the parts would hold them, as its
/// argument, beside the request made of them, in a future moved whole.
pub(crate) struct Prepared {
    /// The request, or why it is a bad one.
    request: Result<Request, crate::Error>,
    /// The start and the head for the access log, only when it is on: the
    /// clock read and the copies of the head cost more than routing a
    /// static path.
    access: Option<(Instant, (Method, Uri, Version))>,
    head_request: bool,
    remote_addr: SocketAddr,
}

impl Prepared {
    /// Builds the request (a query over the app's limit makes it a bad one).
    pub(crate) fn new(
        app: &AppInner,
        parts: http::request::Parts,
        body: Bytes,
        remote_addr: SocketAddr,
    ) -> Self {
        let access = access_log_started().map(|started| {
            let head = (parts.method.clone(), parts.uri.clone(), parts.version);
            (started, head)
        });
        let head_request = parts.method == Method::HEAD;
        let request = Request::new(
            parts,
            body,
            remote_addr,
            app.limits.max_query_params,
            #[cfg(feature = "sessions")]
            app.sessions.clone(),
        );
        Self {
            request,
            access,
            head_request,
            remote_addr,
        }
    }

    /// The response: the app's, or 400 for a bad request.
    pub(crate) async fn answer(&self, app: &AppInner) -> http::Response<Body> {
        let remote_addr = self.remote_addr;
        let response = match &self.request {
            Ok(request) => {
                let mut handling = pin!(answer(app, request));
                // What templates and `url_for!` reach (see `current`).
                let current = crate::web::current::Current {
                    request,
                    urls: &app.urls,
                    #[cfg(feature = "templates")]
                    more: &*app.templates,
                    #[cfg(not(feature = "templates"))]
                    more: (),
                };
                let mut response = crate::web::current::within(current, handling.as_mut()).await;
                #[cfg(feature = "sessions")]
                let session = request.session.finish();
                #[cfg(not(feature = "sessions"))]
                let session = Outgoing::default();
                let read_cookies = request.cookies.was_read();
                after_session(&mut response, session, read_cookies);
                response
            }
            Err(error) => {
                tracing::info!("{remote_addr} sent a bad request: {error}");
                error_page(StatusCode::BAD_REQUEST)
            }
        };
        let mut response = finish(app, response);
        set_content_length(&mut response, self.head_request);
        if let Some((started, (method, target, version))) = &self.access {
            let head = (method, target, *version);
            log_access(remote_addr, head, response.status(), *started);
        }
        if self.head_request {
            *response.body_mut() = Body::empty();
        }
        response
    }
}

/// The app as the server sees it: a service that answers requests.
impl crate::server::Service for AppInner {
    type Prepared = Prepared;

    fn limits(&self) -> &crate::server::Limits {
        &self.limits
    }

    fn prepare(&self, parts: http::request::Parts, body: Bytes, remote: SocketAddr) -> Prepared {
        Prepared::new(self, parts, body, remote)
    }

    fn answer<'a>(
        &'a self,
        prepared: &'a Prepared,
    ) -> impl Future<Output = http::Response<Body>> + Send + 'a {
        prepared.answer(self)
    }
}

/// Adds the session cookie if the session changed, and `Vary: Cookie` if
/// the session or any cookie was read: a shared cache must not serve a page
/// made for one user's cookies to another (Flask's CVE-2023-30861).
fn after_session(response: &mut Response, session: Outgoing, read_cookies: bool) {
    if let Some(cookie) = session.cookie {
        response.push_cookie(cookie);
    }
    if session.read || read_cookies {
        let varies = response.headers().get_all(VARY).iter().any(|value| {
            value.to_str().is_ok_and(|text| {
                text.split(',').any(|item| {
                    matches!(item.trim(), "*") || item.trim().eq_ignore_ascii_case("cookie")
                })
            })
        });
        if !varies {
            response
                .headers_mut()
                .append(VARY, HeaderValue::from_static("Cookie"));
        }
    }
}

/// Writes cookies into headers (a cookie that can't be written is the app's
/// bug: 500).
fn finish(app: &AppInner, response: Response) -> http::Response<Body> {
    match response.into_http_for(Some(&app.cookies), Some(&app.sessions.keys)) {
        Ok(response) => response,
        Err(message) => {
            tracing::error!("the response could not be sent: {message}");
            error_page(StatusCode::INTERNAL_SERVER_ERROR)
                .into_http()
                .unwrap_or_default()
        }
    }
}

/// Sets `Content-Length` where hyper wouldn't write the one the client
/// needs: on a HEAD response (its body is dropped, the header keeps the GET
/// body's length) and on an empty body (hyper's HTTP/2 omits the `0`).
/// Other bodies have an exact size, which hyper writes straight into its
/// output buffer; `always` sets it on those too (for the test client).
pub(crate) fn set_content_length(response: &mut http::Response<Body>, always: bool) {
    let status = response.status();
    let bodiless = status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED;
    let length = response.body().len();
    let needed = always || length == 0;
    if needed && !bodiless && !response.headers().contains_key(CONTENT_LENGTH) {
        response
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
}

/// Runs the hooks around the handler: before-request hooks (which may
/// answer instead), the handler, the error handler for an error page,
/// after-request hooks, teardown hooks (request, then app context). A
/// panic anywhere is a 500.
async fn answer(app: &AppInner, request: &Request) -> Response {
    let hooks = &app.hooks;
    let mut outcome = Ok(None);
    for hook in &hooks.before {
        outcome = catch_unwind(AssertUnwindSafe(|| hook(request)))
            .map_err(|panic| Panicked::new(app, "a before_request hook", request, panic));
        if !matches!(outcome, Ok(None)) {
            break;
        }
    }
    // The blueprint of the route the request went to, if any: its hooks
    // and error handlers run beside the app's.
    let mut blueprint = None;
    let outcome = match outcome {
        Ok(None) => match respond(app, request, &mut blueprint) {
            Routed::Done(outcome) => outcome,
            Routed::Handler(future, name) => AssertUnwindSafe(future)
                .catch_unwind()
                .await
                .map_err(|panic| Panicked::new(app, &format!("handler `{name}`"), request, panic)),
            Routed::File(future) => Ok(future.await),
        },
        Ok(Some(response)) => Ok(response),
        Err(panicked) => Err(panicked),
    };
    let blueprint = blueprint.map(|index| &app.blueprints[index].hooks);
    let (mut response, panic) = match outcome {
        Ok(response) => (response, None),
        Err(panicked) if app.debug => {
            let details = panicked.details.as_ref();
            let page = crate::app::debug::panic_page(request, &panicked.message, details);
            (page, Some(panicked.message))
        }
        Err(panicked) => (
            error_page(StatusCode::INTERNAL_SERVER_ERROR),
            Some(panicked.message),
        ),
    };
    if response.is_error_page {
        response = handle_error(app, blueprint, request, response);
    }
    // The blueprint's after-request hooks first, then the app's (Flask's order).
    for hook in blueprint
        .into_iter()
        .flat_map(|b| &b.after)
        .chain(&hooks.after)
    {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| hook(request, &mut response))) {
            Panicked::new(app, "an after_request hook", request, panic);
            // As Flask: the app's 500 page, if it has one.
            let page = error_page(StatusCode::INTERNAL_SERVER_ERROR);
            response = handle_error(app, blueprint, request, page);
        }
    }
    for hook in blueprint
        .into_iter()
        .flat_map(|b| &b.teardown)
        .chain(&hooks.teardown)
    {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| hook(request, panic.as_deref()))) {
            Panicked::new(app, "a teardown_request hook", request, panic);
        }
    }
    for hook in &hooks.teardown_appcontext {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| hook(panic.as_deref()))) {
            Panicked::new(app, "a teardown_appcontext hook", request, panic);
        }
    }
    crate::web::static_files::make_conditional(request, response)
}

/// The error page for `page`'s status: the blueprint's error handler's,
/// else the app's, if there is one for that status, else `page` itself. A
/// panicking error handler gives the plain 500 page.
fn handle_error(
    app: &AppInner,
    blueprint: Option<&crate::app::hooks::Hooks>,
    request: &Request,
    page: Response,
) -> Response {
    let status = page.status();
    let handler = blueprint
        .and_then(|hooks| hooks.error_handlers.get(&status))
        .or_else(|| app.hooks.error_handlers.get(&status));
    let Some(handler) = handler else {
        return page;
    };
    catch_unwind(AssertUnwindSafe(|| handler(request, status))).unwrap_or_else(|panic| {
        Panicked::new(app, "an error handler", request, panic);
        error_page(StatusCode::INTERNAL_SERVER_ERROR)
    })
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

/// What routing a request gave: a response (or a panic), or a future to
/// await for it. `respond` is no `async fn`, so `answer` awaits the
/// handler's future itself, one layer fewer to move and poll.
// The response inline: boxing it would cost an allocation per request.
#[allow(clippy::large_enum_variant)]
enum Routed<'a> {
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
fn respond<'a>(
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
        let mut response = if status == StatusCode::OK {
            Response::from_parts(status, None, Body::empty())
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
                    let mut response = Response::from_parts(StatusCode::OK, None, Body::empty());
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

/// A panic caught in app code, already counted and logged.
struct Panicked {
    message: String,
    details: Option<crate::app::debug::PanicDetails>,
}

impl Panicked {
    fn new(app: &AppInner, what: &str, request: &Request, panic: Box<dyn Any + Send>) -> Self {
        app.panics.fetch_add(1, Ordering::Relaxed);
        let message = panic
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_owned());
        tracing::error!(
            "{what} panicked on {} {}: {message}",
            request.method(),
            request.uri()
        );
        let details = crate::app::debug::take_last_panic();
        Self { message, details }
    }
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
