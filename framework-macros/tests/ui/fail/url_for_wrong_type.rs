use phial::prelude::*;

#[get("/user/<int:id>/<name>")]
fn show_user(id: u32, name: &str) -> String {
    format!("user {id} {name}")
}

fn main() {
    let _ = url_for!(show_user, id = "42", name = 7);
}
