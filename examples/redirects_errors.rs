//! Flask's "Redirects and Errors": `/` redirects to `/login`, `/login`
//! aborts with 401, and missing pages get a custom 404 page.
//! `cargo run --example redirects_errors`.

use phial::prelude::*;
use phial::Abort;

#[route("/")]
fn index() -> Response {
    redirect("/login")
}

#[route("/login")]
fn login() -> Result<&'static str, Abort> {
    Err(abort(401))
}

/// The app, for `main` and for the tests.
pub fn app() -> App {
    App::new()
        .route(index)
        .route(login)
        .errorhandler(404, |_request, _status| {
            "<h1>Page not found</h1><p>Nothing lives here.</p>"
        })
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    app().run(&phial::default_address()).await
}
