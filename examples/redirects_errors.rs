//! Flask's "Redirects and Errors": `/` redirects to `/login`, `/login`
//! aborts with 401, and missing pages get a custom 404 page.
//! `cargo run --example redirects_errors`.

use phial::prelude::*;
#[route("/")]
fn index() -> Response {
    redirect("/login")
}

#[route("/login")]
fn login() -> Result<&'static str, phial::Abort> {
    Err(abort(401))
}

/// The app: the handlers above, and a page of its own for 404s.
#[phial::main]
pub fn app() -> App {
    App::new().errorhandler(404, |_request, _status| {
        "<h1>Page not found</h1><p>Nothing lives here.</p>"
    })
}
