use phial::prelude::*;

#[post("/", name = "create")]
fn create() -> &'static str {
    "created"
}

fn main() {
    let _ = App::new().route(create);
}
