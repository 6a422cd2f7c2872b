use phial::prelude::*;

#[get("/<name>")]
fn hello<T: std::fmt::Display>(name: T) -> String {
    name.to_string()
}

fn main() {
    let _ = App::new().route(hello);
}
