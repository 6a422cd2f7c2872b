use phial::prelude::*;

#[route("/hello/")]
#[get("hello/<name>")]
fn hello(name: Option<&str>) -> String {
    format!("Hello, {name:?}!")
}

fn main() {
    let _ = App::new().route(hello);
}
