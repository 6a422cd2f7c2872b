//! Flask's "Rendering Templates": Jinja2 templates with inheritance from
//! `examples/templates/`. `cargo run --example templates`, then open
//! /hello/ and /hello/<your name>.

use phial::prelude::*;

#[route("/hello/")]
fn hello_anonymous() -> Response {
    render_template("hello.html", context! {})
}

#[route("/hello/<name>")]
fn hello(name: &str) -> Response {
    render_template("hello.html", context! { name })
}

/// The app: the handlers above, templates from `examples/templates`.
#[phial::main]
pub fn app() -> App {
    App::new().template_folder(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/templates"
    ))
}
