// A parameter that is neither a route variable, `&Request`, nor a type
// that implements `FromRequest`: the error names the type, on the type.
use phial::prelude::*;

struct Db;

#[get("/")]
fn index(db: &Db) -> &'static str {
    let _ = db;
    "index"
}

#[get("/items")]
async fn items(limit: Option<u32>) -> String {
    format!("{limit:?}")
}

fn main() {
    let _ = App::new().route(index).route(items);
}
