use phial::prelude::*;

#[get("/about us")]
fn about() -> &'static str {
    "about"
}

fn main() {
    let _ = App::new().route(about);
}
