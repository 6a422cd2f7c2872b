use phial::prelude::*;

#[get("/")]
fn index(a: &Request, b: &Request) -> String {
    format!("{}{}", a.path(), b.path())
}

fn main() {
    let _ = App::new().route(index);
}
