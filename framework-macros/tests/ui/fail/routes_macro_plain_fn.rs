use phial::prelude::*;

#[get("/")]
fn index() -> &'static str {
    "index"
}

fn about() -> &'static str {
    "about"
}

fn main() {
    let _ = App::new().routes(routes![index, about]);
}
