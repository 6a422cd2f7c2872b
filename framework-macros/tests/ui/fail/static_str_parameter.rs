use phial::prelude::*;

#[get("/<name>")]
fn hello(name: &'static str) -> &'static str {
    name
}

fn main() {
    let _ = App::new().route(hello);
}
