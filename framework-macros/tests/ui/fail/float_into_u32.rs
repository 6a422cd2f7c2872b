use phial::prelude::*;

#[get("/scale/<float:x>")]
fn scale(x: u32) -> String {
    x.to_string()
}

fn main() {
    let _ = App::new().route(scale);
}
