use phial::prelude::*;

#[get("/<name>")]
fn hello<'a>(request: &'a Request, name: &'a str) -> String {
    format!("{} {name}", request.path())
}

fn main() {
    let _ = App::new().route(hello);
}
