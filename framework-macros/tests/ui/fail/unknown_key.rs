use phial::prelude::*;

#[route("/", method = ["GET"])]
fn index() -> &'static str {
    "index"
}

fn main() {
    let _ = App::new().route(index);
}
