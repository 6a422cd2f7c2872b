use phial::prelude::*;

#[route("/")]
struct Index;

fn main() {
    let _ = Index;
}
