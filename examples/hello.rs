//! Flask's minimal application: `cargo run --example hello`.

use phial::prelude::*;

#[route("/")]
fn hello_world() -> &'static str {
    "<p>Hello, World!</p>"
}

/// The app, for `main` and for the tests.
pub fn app() -> App {
    App::new().route(hello_world)
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    app().run(&phial::default_address()).await
}
