//! A typed visit counter: `request.cookies.get("visits", 0u32)` reads the
//! cookie as a number (0 when it is missing or not a number).
//!
//! `cargo run --example visits` serves it on 127.0.0.1:5000; pass another
//! address as the first argument, or set `PORT`.

use phial::prelude::*;

#[route("/")]
fn index(request: &Request) -> Response {
    let visits = request.cookies.get("visits", 0u32).saturating_add(1);
    let mut response = make_response(format!("You have been here {visits} time(s)."));
    response
        .set_cookie("visits", visits.to_string())
        .max_age(30 * 24 * 60 * 60)
        .http_only(true)
        .same_site(SameSite::Lax);
    response
}

#[route("/reset")]
fn reset() -> Response {
    let mut response = make_response("Counter reset.");
    response.delete_cookie("visits");
    response
}

/// The app, for `main` and the tests.
pub fn app() -> App {
    App::new().route(index).route(reset)
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    app().run(&phial::default_address()).await
}
