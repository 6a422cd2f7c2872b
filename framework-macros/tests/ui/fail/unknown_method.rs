use phial::prelude::*;

#[route("/", methods = ["GET", "FETCH"])]
fn index() -> &'static str {
    "index"
}

fn main() {
    let _ = App::new().route(index);
}
