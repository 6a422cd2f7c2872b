use phial::prelude::*;

#[get("/user/<int:id>")]
fn show_user(id: u32) -> String {
    format!("user {id}")
}

fn main() {
    let _ = url_for!(show_user, id = 1, id = 2);
    let _ = url_for!(show_user, 42);
}
