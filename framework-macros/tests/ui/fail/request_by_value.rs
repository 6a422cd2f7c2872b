use phial::prelude::*;

#[get("/")]
fn index(request: Request) -> String {
    request.path().to_owned()
}

fn main() {
    let _ = App::new().route(index);
}
