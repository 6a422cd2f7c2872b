use phial::prelude::*;

#[get("/user/<int:id>")]
fn user(id: u32, name: &str) -> String {
    format!("{id} {name}")
}

fn main() {
    let _ = App::new().route(user);
}
