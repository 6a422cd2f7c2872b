//! Flask's minimal application: `cargo run --example hello`.

use phial::prelude::*;

#[route("/")]
fn hello_world() -> &'static str {
    "<p>Hello, World!</p>"
}

#[phial::main]
async fn main() {}
