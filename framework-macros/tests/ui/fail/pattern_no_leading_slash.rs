use phial::prelude::*;

#[route("user")]
fn user() -> &'static str {
    "user"
}

fn main() {
    let _ = App::new().route(user);
}
