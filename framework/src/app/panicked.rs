//! A panic caught in app code: counted, logged, and kept for the 500 page.

use std::any::Any;
use std::sync::atomic::Ordering;

use http::StatusCode;

use super::application::AppInner;
use crate::Request;

/// A panic caught in app code, already counted and logged.
pub(super) struct Panicked {
    pub(super) message: String,
    pub(super) details: Option<crate::app::debug::PanicDetails>,
    /// The answer: 500, or 503 when it was no panic but the session store
    /// out of reach (see `Session::with_state`).
    pub(super) status: StatusCode,
}

impl Panicked {
    pub(super) fn new(
        app: &AppInner,
        what: &str,
        request: &Request,
        panic: Box<dyn Any + Send>,
    ) -> Self {
        #[cfg(feature = "sessions")]
        if let Some(unavailable) =
            panic.downcast_ref::<crate::http_core::session::store::Unavailable>()
        {
            let message = unavailable.to_string();
            tracing::error!(
                target: "phial::session",
                "{} {}: {message}: answered 503",
                request.method(),
                request.uri()
            );
            return Self {
                message,
                details: None,
                status: StatusCode::SERVICE_UNAVAILABLE,
            };
        }
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
        Self {
            message,
            details,
            status: StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}
