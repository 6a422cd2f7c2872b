use phial::prelude::*;

#[get("/")]
unsafe fn index() -> &'static str {
    "index"
}

fn main() {
    let _ = App::new().route(index);
}
