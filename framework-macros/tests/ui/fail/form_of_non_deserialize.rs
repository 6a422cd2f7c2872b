// `Form<T>` of a type serde can't deserialize: one error, on the type.
use phial::extract::Form;
use phial::prelude::*;

struct Login {
    username: String,
}

#[post("/login")]
fn login(form: Form<Login>) -> String {
    form.0.username
}

fn main() {
    let _ = App::new().route(login);
}
