use phial::prelude::*;

#[route]
fn index() -> &'static str {
    "index"
}

fn main() {
    let _ = App::new().route(index);
}
