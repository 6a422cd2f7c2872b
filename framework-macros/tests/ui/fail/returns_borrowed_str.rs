use phial::prelude::*;

#[get("/")]
fn index(request: &Request) -> &str {
    request.path()
}

fn main() {
    let _ = App::new().route(index);
}
