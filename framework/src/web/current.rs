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
//! request). Threads and tasks the handler starts don't see them. The
//! templates' slot is declared beside their type (`templates::TEMPLATES`),
//! so that this module needs nothing above the HTTP core.

use std::any::TypeId;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::http_core::url::Urls;
use crate::Request;

scoped_tls::scoped_thread_local!(static REQUEST: Request);
scoped_tls::scoped_thread_local!(static URLS: Urls);

/// What a request's handling reaches: the request, and its app's routes.
/// `S` sets more (the app's templates).
#[derive(Clone, Copy)]
pub(crate) struct Current<'a, S = ()> {
    pub(crate) request: &'a Request,
    pub(crate) urls: &'a Urls,
    pub(crate) more: S,
}

/// More to set around each poll of a request's handling.
pub(crate) trait Enter {
    /// Runs `f` with it set.
    fn enter<R>(&self, f: impl FnOnce() -> R) -> R;
}

impl Enter for () {
    fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        f()
    }
}

impl<S: Enter> Current<'_, S> {
    /// Runs `f` with this as the current request's surroundings.
    pub(crate) fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        REQUEST.set(self.request, || URLS.set(self.urls, || self.more.enter(f)))
    }
}

/// `future` (a request's handling), polled within `current`.
pub(crate) struct Within<'a, F, S> {
    current: Current<'a, S>,
    future: Pin<&'a mut F>,
}

/// Polls `future` within `current` until it is done.
pub(crate) fn within<'a, F: Future, S: Enter>(
    current: Current<'a, S>,
    future: Pin<&'a mut F>,
) -> Within<'a, F, S> {
    Within { current, future }
}

impl<F: Future, S: Enter + Unpin> Future for Within<'_, F, S> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let future = this.future.as_mut();
        this.current.enter(|| future.poll(cx))
    }
}

/// Runs `f` on the request being answered; `None` outside its handling.
pub(crate) fn request<R>(f: impl FnOnce(&Request) -> R) -> Option<R> {
    REQUEST.is_set().then(|| REQUEST.with(f))
}

/// Runs `f` on the app's route patterns by handler name; `None` outside a
/// request's handling.
pub(crate) fn urls<R>(f: impl FnOnce(&Urls) -> R) -> Option<R> {
    URLS.is_set().then(|| URLS.with(f))
}

/// The start of `url_for!`'s URL for handler `H`: the request's script
/// root (the prefix a trusted proxy mounts the app under), then the prefix
/// of the blueprint it is mounted in, in the app answering the current
/// request (none outside a request's handling, as Flask's `url_for` needs
/// an app context).
pub fn mounted<H: 'static>() -> String {
    let mut start = request(|request| request.script_root().to_owned()).unwrap_or_default();
    if let Some(prefix) = urls(|urls| urls.prefix(TypeId::of::<H>()).to_owned()) {
        start.push_str(&prefix);
    }
    start
}

/// [`mounted`], after the scheme and host of the request being answered
/// when `external` (`url_for!(handler, _external = true)`:
/// `https://example.com/blog/...`, as a trusted proxy gives them).
pub fn mounted_external<H: 'static>(external: bool) -> String {
    let mut start = if external {
        request(|request| format!("{}://{}", request.scheme(), request.host())).unwrap_or_default()
    } else {
        String::new()
    };
    start.push_str(&mounted::<H>());
    start
}
