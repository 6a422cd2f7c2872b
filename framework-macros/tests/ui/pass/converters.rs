//! Every converter with every type it can produce.
use phial::prelude::*;
use phial::Uuid;

#[get("/s/<name>")]
fn string_str(name: &str) -> String {
    name.to_owned()
}

#[get("/s2/<string:name>")]
fn string_owned(name: String) -> String {
    name
}

#[get("/s4/<name>")]
fn string_elided(name: &'_ str) -> String {
    name.to_owned()
}

#[get("/s3/<name>")]
fn string_qualified(name: std::string::String) -> String {
    name
}

#[get("/p/<path:rest>")]
fn path_str(rest: &str) -> String {
    rest.to_owned()
}

#[get("/p2/<path:rest>")]
fn path_owned(rest: String) -> String {
    rest
}

#[get("/i/<int:a>/<int:b>/<int:c>/<int:d>/<int:e>/<int:f>")]
fn unsigned(a: u8, b: u16, c: u32, d: u64, e: u128, f: usize) -> String {
    format!("{a}{b}{c}{d}{e}{f}")
}

#[get("/j/<int:a>/<int:b>/<int:c>/<int:d>/<int:e>/<int:f>")]
fn signed(a: i8, b: i16, c: i32, d: i64, e: i128, f: isize) -> String {
    format!("{a}{b}{c}{d}{e}{f}")
}

#[get("/f/<float:a>/<float:b>")]
fn floats(a: f32, b: f64) -> String {
    format!("{a}{b}")
}

#[get("/u/<uuid:id>")]
fn uuid(id: Uuid) -> String {
    id.to_string()
}

#[get("/u2/<uuid:id>")]
fn uuid_qualified(id: phial::Uuid) -> String {
    id.to_string()
}

#[get("/m/<int:id>")]
fn mutable(mut id: u32) -> String {
    id += 1;
    id.to_string()
}

#[get("/r/<type>")]
fn raw_identifier(r#type: &str) -> String {
    r#type.to_owned()
}

fn main() {
    let _ = App::new().routes(routes![
        string_str,
        string_owned,
        string_qualified,
        string_elided,
        path_str,
        path_owned,
        unsigned,
        signed,
        floats,
        uuid,
        uuid_qualified,
        mutable,
        raw_identifier,
    ]);
}
