//! Flask's "Rendering Templates": Jinja2 templates with inheritance from
//! `examples/templates/`. `cargo run --example templates`, then open
//! /hello/ and /hello/<your name>.

use phial::prelude::*;

#[route("/hello/")]
#[route("/hello/<name>")]
fn hello(name: Option<&str>) -> Response {
    render_template("hello.html", context! { name })
}

// The templates are found wherever the example runs from.
#[phial::main(template_folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/templates"))]
async fn main() {}
