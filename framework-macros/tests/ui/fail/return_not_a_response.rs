use phial::prelude::*;

#[get("/count")]
fn count() -> u32 {
    42
}

fn main() {
    let _ = App::new().route(count);
}
