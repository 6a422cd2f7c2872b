use phial::prelude::*;

const INDEX: &str = "/";

#[route(INDEX)]
fn index() -> &'static str {
    "index"
}

fn main() {
    let _ = App::new().route(index);
}
