use phial::prelude::*;

#[get("/user/<name>")]
fn user(name: u64) -> String {
    name.to_string()
}

fn main() {
    let _ = App::new().route(user);
}
