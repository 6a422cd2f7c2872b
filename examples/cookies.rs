//! The seed app: set a cookie on `/`, read it back on `/user`.
//!
//! `cargo run --example cookies` serves it on 127.0.0.1:5000; pass another
//! address as the first argument, or set `PORT`. `#[phial::main]` finds
//! the two routes: nothing lists them.

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

#[phial::main]
async fn main() {}
