use phial::prelude::*;

#[route("/", methods)]
fn index() -> &'static str {
    "index"
}

fn main() {
    let _ = App::new().route(index);
}
