//! The hooks around a request's handler, as Flask runs them: before-request
//! hooks (which may answer instead), the handler, the error handler for an
//! error page, after-request and teardown hooks; a panic anywhere is a 500.

use std::panic::{catch_unwind, AssertUnwindSafe};

use futures_util::FutureExt;
use http::header::{HeaderValue, CONTENT_SECURITY_POLICY, X_FRAME_OPTIONS};
use http::StatusCode;

use super::application::AppInner;
use super::hooks::Hooks;
use super::panicked::Panicked;
use super::respond::{respond, Routed};
use crate::http_core::response::error_page;
use crate::{Request, Response};

/// Runs the hooks around the handler: before-request hooks (which may
/// answer instead), the handler, the error handler for an error page,
/// after-request hooks, teardown hooks (request, then app context). A
/// panic anywhere is a 500.
pub(super) async fn answer(app: &AppInner, request: &Request) -> Response {
    let hooks = &app.hooks;
    // A forged request is refused before any hook sees it.
    // (Its token check reads the session: Redis out of reach is a 503.)
    let mut outcome = catch_unwind(AssertUnwindSafe(|| {
        super::cross_origin::refused(app, request)
    }))
    .map_err(|panic| Panicked::new(app, "the cross-origin check", request, panic));
    for hook in &hooks.before {
        if !matches!(outcome, Ok(None)) {
            break;
        }
        outcome = catch_unwind(AssertUnwindSafe(|| hook(request)))
            .map_err(|panic| Panicked::new(app, "a before_request hook", request, panic));
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
        Err(panicked) if app.debug && panicked.status == StatusCode::INTERNAL_SERVER_ERROR => {
            let details = panicked.details.as_ref();
            let page = crate::app::debug::panic_page(
                matched(app, request),
                request,
                &panicked.message,
                details,
                &app.cookie_explainer.recent(),
            );
            (page, Some(panicked.message))
        }
        Err(panicked) => (error_page(panicked.status), Some(panicked.message)),
    };
    if let Some(error) = response.error.take() {
        if !is_logged_already(&error) {
            tracing::error!("{} {} failed: {error:?}", request.method(), request.uri());
        }
        if app.debug {
            // As a panic's page: the app's 500 handler doesn't replace it.
            response = crate::app::debug::error_page(
                matched(app, request),
                request,
                &error,
                &app.cookie_explainer.recent(),
            );
        }
    }
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
            let panicked = Panicked::new(app, "an after_request hook", request, panic);
            // As Flask: the app's 500 page, if it has one.
            let page = error_page(panicked.status);
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
    if app.deny_framing {
        deny_framing(&mut response);
    }
    crate::web::static_files::make_conditional(request, response)
}

/// The error page for `page`'s status: the blueprint's error handler's,
/// else the app's, if there is one for that status, else `page` itself. A
/// panicking error handler gives the plain 500 page.
fn handle_error(
    app: &AppInner,
    blueprint: Option<&Hooks>,
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
        error_page(Panicked::new(app, "an error handler", request, panic).status)
    })
}

/// Forbids other sites to show the page in a frame (clickjacking), unless
/// the handler said otherwise.
fn deny_framing(response: &mut Response) {
    let headers = response.headers_mut();
    if !headers.contains_key(X_FRAME_OPTIONS) {
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        );
    }
}

/// Whether `error` was logged where it happened: a template's error is,
/// with the template's name and line.
fn is_logged_already(error: &crate::Error) -> bool {
    #[cfg(feature = "templates")]
    if error.downcast_ref::<minijinja::Error>().is_some() {
        return true;
    }
    let _ = error;
    false
}

/// The route `request` went to, for a debug page.
fn matched<'a>(app: &'a AppInner, request: &Request) -> Option<crate::app::debug::Matched<'a>> {
    let found = app.router.find(request.path());
    let route = found
        .candidates()
        .find(|(route, _)| route.methods.allows(request.method()))
        .map(|(route, _)| route)?;
    Some(crate::app::debug::Matched {
        pattern: route.pattern(),
        name: route.name(),
    })
}
