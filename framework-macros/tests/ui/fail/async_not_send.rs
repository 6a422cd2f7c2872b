use phial::prelude::*;
use std::rc::Rc;

#[get("/")]
async fn index() -> String {
    let shared = Rc::new(1);
    tokio_yield().await;
    shared.to_string()
}

async fn tokio_yield() {}

fn main() {
    let _ = App::new().route(index);
}
