use phial::prelude::*;

#[get(b"/")]
fn index() -> &'static str {
    "index"
}

fn main() {
    let _ = App::new().route(index);
}
