use phial::prelude::*;

#[get("/user/<id")]
fn user() -> &'static str {
    "user"
}

fn main() {
    let _ = App::new().route(user);
}
