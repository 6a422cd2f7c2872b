use phial::prelude::*;

#[route("/", methods = ["GET"], methods = ["POST"])]
fn index() -> &'static str {
    "index"
}

fn main() {
    let _ = App::new().route(index);
}
