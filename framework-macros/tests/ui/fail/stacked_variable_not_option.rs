use phial::prelude::*;

#[route("/hello/")]
#[route("/hello/<name>")]
fn hello(name: &str) -> String {
    format!("Hello, {name}!")
}

fn main() {
    let _ = App::new().route(hello);
}
