//! The one ambient state of phial: what Flask-style free functions reach
//! without being handed it. Everything else a handler or hook needs
//! arrives as an argument or through the request.
//!
//! | reached | by | why it can't be an argument |
//! |---|---|---|
//! | the app's templates | [`render_template`](crate::render_template) | Flask's `render_template(name, **context)` names no app |
//! | the app's routes | `url_for(...)` in templates, `url_for!` | a template calls it by name, mid-render; `url_for!` names only the handler, and the blueprint prefix is the app's |
//! | the request | `get_flashed_messages()`, `g`, `request` and `session` in templates | Jinja templates reach them as globals, as Flask's do |
//!
//! The dispatcher sets them, borrowed, around each poll of a request's
//! handling (scoped thread-locals: nothing is cloned or allocated per
//! request). Threads and tasks the handler starts don't see them.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::routing::url::Urls;
#[cfg(feature = "templates")]
use crate::templates::Templates;
use crate::Request;

scoped_tls::scoped_thread_local!(static REQUEST: Request);
#[cfg(feature = "templates")]
scoped_tls::scoped_thread_local!(static TEMPLATES: Templates);
scoped_tls::scoped_thread_local!(static URLS: Urls);

/// What a request's handling reaches: the request, the app's templates and
/// its routes' patterns by handler name.
#[derive(Clone, Copy)]
pub(crate) struct Current<'a> {
    pub(crate) request: &'a Request,
    #[cfg(feature = "templates")]
    pub(crate) templates: &'a Templates,
    pub(crate) urls: &'a Urls,
}

impl Current<'_> {
    /// Runs `f` with this as the current request's surroundings.
    pub(crate) fn enter<R>(self, f: impl FnOnce() -> R) -> R {
        #[cfg(feature = "templates")]
        let f = || TEMPLATES.set(self.templates, f);
        REQUEST.set(self.request, || URLS.set(self.urls, f))
    }
}

/// `future` (a request's handling), polled within `current`.
pub(crate) struct Within<'a, F> {
    current: Current<'a>,
    future: Pin<&'a mut F>,
}

/// Polls `future` within `current` until it is done.
pub(crate) fn within<'a, F: Future>(current: Current<'a>, future: Pin<&'a mut F>) -> Within<'a, F> {
    Within { current, future }
}

impl<F: Future> Future for Within<'_, F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let future = this.future.as_mut();
        this.current.enter(|| future.poll(cx))
    }
}

/// Runs `f` on the request being answered; `None` outside its handling.
#[cfg_attr(not(feature = "templates"), allow(dead_code))]
pub(crate) fn request<R>(f: impl FnOnce(&Request) -> R) -> Option<R> {
    REQUEST.is_set().then(|| REQUEST.with(f))
}

/// Runs `f` on the app's templates; `None` outside a request's handling.
#[cfg(feature = "templates")]
pub(crate) fn templates<R>(f: impl FnOnce(&Templates) -> R) -> Option<R> {
    TEMPLATES.is_set().then(|| TEMPLATES.with(f))
}

/// Runs `f` on the app's route patterns by handler name; `None` outside a
/// request's handling.
pub(crate) fn urls<R>(f: impl FnOnce(&Urls) -> R) -> Option<R> {
    URLS.is_set().then(|| URLS.with(f))
}
