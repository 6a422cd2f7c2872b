use phial::prelude::*;

struct NotAnError;

#[get("/")]
async fn index() -> Result<String, NotAnError> {
    Err(NotAnError)
}

fn main() {
    let _ = App::new().route(index);
}
