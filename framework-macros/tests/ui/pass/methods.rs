//! Method lists, lower case included, and each shorthand.
use phial::prelude::*;

#[route("/login", methods = ["GET", "POST"])]
fn login() -> &'static str {
    "login"
}

#[route("/lower", methods = ["get", "Post", "delete",])]
fn lower() -> &'static str {
    "lower"
}

#[route("/all", methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"])]
fn all() -> &'static str {
    "all"
}

#[route("/default")]
fn default_get() -> &'static str {
    "default"
}

#[route("/trailing",)]
fn trailing_comma() -> &'static str {
    "trailing"
}

#[route(r"/raw")]
fn raw_string() -> &'static str {
    "raw"
}

#[get("/x")]
fn get_x() -> &'static str {
    "get"
}

#[post("/x")]
fn post_x() -> &'static str {
    "post"
}

#[put("/x")]
fn put_x() -> &'static str {
    "put"
}

#[patch("/x")]
fn patch_x() -> &'static str {
    "patch"
}

#[delete("/x")]
fn delete_x() -> &'static str {
    "delete"
}

#[phial::get("/qualified")]
fn qualified() -> &'static str {
    "qualified"
}

fn main() {
    let _ = App::new()
        .route(login)
        .route(lower)
        .route(all)
        .route(default_get)
        .route(trailing_comma)
        .route(raw_string)
        .routes(routes![get_x, post_x, put_x, patch_x, delete_x, qualified]);
}
