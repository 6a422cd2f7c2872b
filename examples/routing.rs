//! Flask's routing section: variable rules, converters, unique URLs.
//! `cargo run --example routing`, then try /user/ann, /post/42,
//! /path/a/b/c, /projects (redirects to /projects/) and /about/ (404).

use phial::prelude::*;

#[route("/")]
fn index() -> &'static str {
    "Index Page"
}

#[route("/hello")]
fn hello() -> &'static str {
    "Hello, World"
}

#[route("/user/<username>")]
fn show_user_profile(username: &str) -> String {
    format!("User {}", phial::escape(username))
}

#[route("/post/<int:post_id>")]
fn show_post(post_id: u32) -> String {
    format!("Post {post_id}")
}

#[route("/path/<path:subpath>")]
fn show_subpath(subpath: &str) -> String {
    format!("Subpath {}", phial::escape(subpath))
}

#[route("/projects/")]
fn projects() -> &'static str {
    "The project page"
}

#[route("/about")]
fn about() -> &'static str {
    "The about page"
}

#[phial::main]
async fn main() {}
