//! The seed app: set a cookie on `/`, read it back on `/user`.
//!
//! `cargo run --example cookies` serves it on 127.0.0.1:5000; pass another
//! address as the first argument, or set `PORT`.

use phial::prelude::*;

#[route("/")]
async fn index() -> Response {
    let mut response = make_response("Hello, World!");
    response.set_cookie("username", "bob");
    response
}

#[route("/user")]
async fn user(request: &Request) -> String {
    let username = request.cookies.get("username", "Guest");
    format!("Hello, {username}!")
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| {
        let port = std::env::var("PORT").unwrap_or_else(|_| "5000".to_owned());
        format!("127.0.0.1:{port}")
    });
    App::new().route(index).route(user).run(&addr).await
}
