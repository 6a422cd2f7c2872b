use phial::prelude::*;

#[get("/count")]
async fn count() -> Vec<u32> {
    vec![42]
}

fn main() {
    let _ = App::new().route(count);
}
