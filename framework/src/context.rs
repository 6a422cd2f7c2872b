//! The one task-local of a request's handling: the app serving it (for
//! `render_template` and `url_for` in templates, and the session's keys)
//! and the request's session state.
//!
//! It is built from what the request path holds already (a clone of the
//! app's `Arc`, the `Cookie` header's reference-counted bytes) and entered
//! once per request. It stays small, since tokio moves a task-local's value
//! in and out of its slot on every poll: the session state is boxed, and
//! only when the session is used.

use std::future::Future;
use std::sync::Arc;

use tokio::task::futures::TaskLocalFuture;

use crate::app::AppInner;
use crate::cookies::CookieLines;
use crate::session::{Outgoing, RequestScope};

/// What code running for a request reaches without being handed it.
pub(crate) struct RequestContext {
    /// The app serving the request.
    pub(crate) app: Arc<AppInner>,
    /// The request's session, loaded on first use.
    pub(crate) session: RequestScope,
}

impl RequestContext {
    /// A context for a request to `app` carrying the cookies of `lines`.
    pub(crate) fn new(app: Arc<AppInner>, lines: CookieLines) -> Self {
        Self {
            app,
            session: RequestScope::new(lines),
        }
    }

    /// What became of the session: whether it was read, and the cookie to
    /// send if it changed.
    pub(crate) fn finish(&self) -> Outgoing {
        self.session.finish(&self.app.sessions)
    }
}

tokio::task_local! {
    static CURRENT: RequestContext;
}

/// `future` (a request's handling) running in `context`. Poll it pinned,
/// then take the context back with `take_value` to see what became of the
/// session.
pub(crate) fn scope<F: Future>(
    context: RequestContext,
    future: F,
) -> TaskLocalFuture<RequestContext, F> {
    CURRENT.scope(context, future)
}

/// Runs `f` (the test client's session transaction) in `context`, then
/// says what became of the session.
#[cfg(all(feature = "test-client", feature = "sessions"))]
pub(crate) fn sync_scope<R>(context: RequestContext, f: impl FnOnce() -> R) -> (R, Outgoing) {
    CURRENT.sync_scope(context, || {
        let output = f();
        (output, CURRENT.with(RequestContext::finish))
    })
}

/// Runs `f` on the current request's context; `None` outside a request's
/// handling (or in a thread or task the handler started).
#[cfg(any(feature = "templates", feature = "sessions"))]
pub(crate) fn try_with<R>(f: impl FnOnce(&RequestContext) -> R) -> Option<R> {
    CURRENT.try_with(f).ok()
}
