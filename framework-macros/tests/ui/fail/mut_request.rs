use phial::prelude::*;

#[get("/")]
fn index(request: &mut Request) -> String {
    request.path().to_owned()
}

fn main() {
    let _ = App::new().route(index);
}
