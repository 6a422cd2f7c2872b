use phial::prelude::*;

#[get("/user/<int:id>/<name>")]
fn user(id: u32) -> String {
    id.to_string()
}

fn main() {
    let _ = App::new().route(user);
}
