use phial::prelude::*;

#[get("/files/<path:rest>/edit")]
fn edit(rest: &str) -> String {
    rest.to_owned()
}

fn main() {
    let _ = App::new().route(edit);
}
