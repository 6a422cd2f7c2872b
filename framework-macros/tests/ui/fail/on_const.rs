use phial::prelude::*;

#[get("/")]
const INDEX: &str = "index";

fn main() {
    let _ = INDEX;
}
