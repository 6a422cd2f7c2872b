use phial::prelude::*;

#[get("/user-<id>")]
fn user(id: &str) -> String {
    id.to_owned()
}

fn main() {
    let _ = App::new().route(user);
}
