use phial::prelude::*;

#[get("/item/<uuid:id>")]
fn item(id: &str) -> String {
    id.to_owned()
}

fn main() {
    let _ = App::new().route(item);
}
