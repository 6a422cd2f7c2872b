use phial::prelude::*;

struct Site;

impl Site {
    #[get("/")]
    fn index(&self) -> &'static str {
        "index"
    }
}

fn main() {}
