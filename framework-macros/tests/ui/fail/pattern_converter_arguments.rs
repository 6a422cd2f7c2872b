use phial::prelude::*;

#[get("/n/<int(signed=True):n>")]
fn n(n: i32) -> String {
    n.to_string()
}

fn main() {
    let _ = App::new().route(n);
}
