use phial::prelude::*;

#[get("/pair/<int:a>")]
fn pair((a, b): (u32, u32)) -> String {
    format!("{a} {b}")
}

fn main() {
    let _ = App::new().route(pair);
}
