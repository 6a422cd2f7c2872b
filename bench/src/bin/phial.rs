//! The seed app on phial, exactly as in examples/cookies.rs.

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
async fn main() {
    let listener = tokio::net::TcpListener::bind(phial_bench::address()).await.unwrap();
    println!("listening");
    App::new().route(index).route(user).serve(listener).await.unwrap();
}
