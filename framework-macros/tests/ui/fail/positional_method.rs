use phial::prelude::*;

#[route("/", "POST")]
fn index() -> &'static str {
    "index"
}

fn main() {
    let _ = App::new().route(index);
}
