//! The seed endpoints on actix-web 4.

use actix_web::cookie::Cookie;
use actix_web::{get, App, HttpRequest, HttpResponse, HttpServer};

#[get("/")]
async fn index() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .cookie(Cookie::build("username", "bob").path("/").finish())
        .body("Hello, World!")
}

#[get("/user")]
async fn user(request: HttpRequest) -> HttpResponse {
    let username = request.cookie("username");
    let username = username.as_ref().map_or("Guest", |cookie| cookie.value());
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(phial_bench::greeting(username))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let server =
        HttpServer::new(|| App::new().service(index).service(user)).bind(phial_bench::address())?;
    println!("listening");
    server.run().await
}
