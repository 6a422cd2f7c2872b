use phial::prelude::*;

#[get("/user/<int:id>")]
fn user(id: Option<u32>) -> String {
    format!("{id:?}")
}

fn main() {
    let _ = App::new().route(user);
}
