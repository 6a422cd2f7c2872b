//! Route attributes stacked on one function, as Flask stacks `@app.route`.
use phial::prelude::*;

/// Both greetings.
#[route("/hello/")]
#[route("/hello/<name>")]
pub fn hello(name: Option<&str>) -> String {
    format!("Hello, {}!", name.unwrap_or("World"))
}

#[get("/a/<int:id>")]
#[phial::post("/b/<int:id>/<int:page>")]
async fn both(request: &Request, id: u32, page: Option<u16>, Json(body): Json<u8>) -> String {
    format!("{} {id} {page:?} {body}", request.method())
}

fn main() {
    let _ = App::new().route(hello).route(both).route(items::items);
    let _: String = url_for!(hello);
    let _: String = url_for!(hello, name = "ann");
    let _: String = url_for!(both, id = 1, page = 2);
}

/// One pattern, two methods, two attributes.
mod items {
    use phial::prelude::*;

    #[get("/items")]
    #[post("/items")]
    pub fn items() -> &'static str {
        "items"
    }
}
