use phial::prelude::*;

#[get("/user/<integer:id>")]
fn user(id: u32) -> String {
    id.to_string()
}

fn main() {
    let _ = App::new().route(user);
}
