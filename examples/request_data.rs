//! Flask's "Accessing Request Data": a login form on GET, checked on POST.
//! `cargo run --example request_data`, then open /login.

use phial::prelude::*;

const FORM: &str = "<form method=post>\
    <input name=username placeholder=username>\
    <input name=password type=password placeholder=password>\
    <button>Log in</button></form>";

fn valid_login(username: &str, password: &str) -> bool {
    username == "admin" && password == "secret"
}

#[route("/login", methods = ["GET", "POST"])]
fn login(request: &Request) -> (StatusCode, String) {
    if request.method() == "POST" {
        let username = request.form.get("username", "");
        if valid_login(username, request.form.get("password", "")) {
            return (
                StatusCode::OK,
                format!("Welcome, {}!", phial::escape(username)),
            );
        }
        return (
            StatusCode::UNAUTHORIZED,
            format!("<p>Invalid username/password</p>{FORM}"),
        );
    }
    (StatusCode::OK, FORM.to_owned())
}

#[route("/search")]
fn search(request: &Request) -> String {
    let query = request.args.get("q", "");
    let page = request.args.get("page", 1u32);
    format!("Results for {} (page {page})", phial::escape(query))
}

#[phial::main]
async fn main() {}
