//! `#[phial::main]` takes nothing from the route checks: a parameter that
//! names no route variable and a `url_for!` typo stay spanned errors.
use phial::prelude::*;

#[get("/user/<int:id>")]
fn user(idd: u32) -> String {
    format!("user {idd}")
}

#[get("/post/<int:id>")]
fn post(id: u32) -> String {
    format!("post {id}")
}

#[get("/")]
fn index() -> String {
    url_for!(post, idd = 1)
}

#[phial::main]
async fn main() {}
