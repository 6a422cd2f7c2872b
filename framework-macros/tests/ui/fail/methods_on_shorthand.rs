use phial::prelude::*;

#[get("/", methods = ["POST"])]
fn index() -> &'static str {
    "index"
}

fn main() {
    let _ = App::new().route(index);
}
