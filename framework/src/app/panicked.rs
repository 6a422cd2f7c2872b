//! A panic caught in app code: counted, logged, and kept for the 500 page.

use std::any::Any;
use std::sync::atomic::Ordering;

use super::application::AppInner;
use crate::Request;

/// A panic caught in app code, already counted and logged.
pub(super) struct Panicked {
    pub(super) message: String,
    pub(super) details: Option<crate::app::debug::PanicDetails>,
}

impl Panicked {
    pub(super) fn new(
        app: &AppInner,
        what: &str,
        request: &Request,
        panic: Box<dyn Any + Send>,
    ) -> Self {
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
