//! The request may come first, last, in between, unnamed, or not at all.
use phial::prelude::*;

#[get("/a/<int:id>/<name>")]
fn first(request: &Request, id: u32, name: &str) -> String {
    format!("{} {id} {name}", request.path())
}

#[get("/b/<int:id>/<name>")]
fn middle(name: &str, request: &Request, id: u32) -> String {
    format!("{} {id} {name}", request.path())
}

#[get("/c/<int:id>/<name>")]
fn last(name: String, id: u32, request: &phial::Request) -> String {
    format!("{} {id} {name}", request.path())
}

#[get("/d")]
fn unnamed(_: &Request) -> &'static str {
    "unnamed"
}

#[get("/e")]
fn underscore(_request: &Request) -> &'static str {
    "underscore"
}

#[get("/f")]
async fn async_request(request: &Request) -> String {
    request.path().to_owned()
}

#[get("/g")]
fn elided(request: &'_ Request) -> String {
    request.path().to_owned()
}

fn main() {
    let _ = App::new().routes(routes![
        first,
        middle,
        last,
        unnamed,
        underscore,
        async_request,
        elided
    ]);
}
