use phial::prelude::*;

#[get("/a//b")]
fn ab() -> &'static str {
    "ab"
}

fn main() {
    let _ = App::new().route(ab);
}
