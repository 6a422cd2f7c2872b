use phial::prelude::*;

#[get("/user/<int:id>")]
fn user(id: String) -> String {
    id
}

fn main() {
    let _ = App::new().route(user);
}
