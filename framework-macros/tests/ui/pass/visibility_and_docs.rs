//! `pub` handlers are reachable from other modules; doc comments and other
//! attributes stay on the handler.
#![deny(missing_docs)]

use phial::prelude::*;

/// Handlers.
pub mod handlers {
    use phial::prelude::*;

    /// The index page.
    #[get("/")]
    pub fn index() -> &'static str {
        "index"
    }

    /// A crate-visible handler.
    #[get("/inner")]
    #[allow(clippy::needless_pass_by_value)]
    pub(crate) fn inner(_: &Request) -> String {
        String::from("inner")
    }
}

/// A handler after its attribute's doc comment.
#[deprecated = "use index"]
#[get("/old")]
pub async fn old() -> &'static str {
    "old"
}

fn main() {
    #[allow(deprecated)]
    let _ = App::new()
        .route(handlers::index)
        .route(handlers::inner)
        .route(old);
    let _copy: handlers::index = handlers::index;
    let _ = format!("{:?}", handlers::index);
}

/// Compiled out: neither the handler nor its `Endpoint` impl exist.
#[get("/gone")]
#[cfg(any())]
fn gone() -> &'static str {
    "gone"
}

/// Compiled in.
#[get("/here")]
#[cfg(all())]
fn here() -> &'static str {
    "here"
}

#[allow(dead_code)]
fn uses_here() -> App {
    App::new().route(here)
}
