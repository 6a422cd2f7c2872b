use phial::prelude::*;

#[get("/items")]
#[post("/items")]
fn items() -> &'static str {
    "items"
}

fn main() {
    let _ = App::new().route(items);
}
