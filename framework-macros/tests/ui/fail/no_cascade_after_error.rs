// After an error the handler still exists, in the shape a successful
// expansion has: registering it and naming its type add no second error,
// and its body is still type-checked.
use phial::prelude::*;

#[get("/user/<int:id>", colour = "red")]
fn user(id: u32) -> String {
    id.to_string()
}

#[get("/user/<int:id>")]
fn broken_body(id: String) -> String {
    let _: u32 = "not a number";
    id
}

fn main() {
    let _handler: user = user;
    let _ = App::new().route(user).route(broken_body);
}
