use phial::prelude::*;

#[get("/user/<int:>")]
fn user() -> &'static str {
    "user"
}

fn main() {
    let _ = App::new().route(user);
}
