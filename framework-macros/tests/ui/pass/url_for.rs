use phial::prelude::*;

mod views {
    use phial::prelude::*;

    #[get("/user/<int:id>/<name>")]
    pub fn show_user(id: u64, name: &str) -> String {
        format!("user {id} {name}")
    }

    #[get("/item/<uuid:id>/<float:price>/<path:rest>/")]
    pub fn item(id: phial::Uuid, price: f64, rest: String) -> String {
        format!("{id} {price} {rest}")
    }
}

#[get("/")]
fn index() -> &'static str {
    "index"
}

fn main() {
    let name = String::from("ann");
    let _: String = url_for!(views::show_user, id = 1, name = name);
    let _: String = url_for!(self::views::show_user, id = 1, name = "bob", page = 2);
    let _ = url_for!(crate::views::item, id = phial::Uuid::nil(), price = 1.5, rest = "a/b");
    let _ = url_for!(index);
    let _ = url_for!(index,);
}
