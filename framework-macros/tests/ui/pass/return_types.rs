//! Every return type a handler may have, sync and async.
use phial::prelude::*;
use phial::Bytes;

#[get("/1")]
fn static_str() -> &'static str {
    "text"
}

#[get("/2")]
async fn string() -> String {
    String::new()
}

#[get("/3")]
fn response() -> Response {
    Response::new("made")
}

#[get("/4")]
async fn status_and_body() -> (StatusCode, String) {
    (StatusCode::CREATED, String::new())
}

#[get("/5")]
fn vec() -> Vec<u8> {
    Vec::new()
}

#[get("/6")]
async fn bytes() -> Bytes {
    Bytes::new()
}

#[get("/7")]
fn result() -> Result<String, StatusCode> {
    Err(StatusCode::FORBIDDEN)
}

#[get("/8")]
async fn option() -> Option<&'static str> {
    None
}

#[get("/9")]
fn status() -> StatusCode {
    StatusCode::NO_CONTENT
}

#[get("/10")]
fn unit() {}

#[get("/11")]
fn opaque() -> impl IntoResponse {
    "opaque"
}

#[get("/12")]
async fn nested() -> Result<Option<(StatusCode, Vec<u8>)>, (StatusCode, &'static str)> {
    Ok(None)
}

#[get("/13")]
fn io_result() -> std::io::Result<String> {
    Ok(String::new())
}

#[get("/14")]
async fn any_error(request: &Request) -> Result<String, std::num::ParseIntError> {
    let n: u32 = request.args.get("n", "0").parse()?;
    Ok(n.to_string())
}

fn main() {
    let _ = App::new().routes(routes![
        static_str,
        string,
        response,
        status_and_body,
        vec,
        bytes,
        result,
        option,
        status,
        unit,
        opaque,
        nested,
        io_result,
        any_error,
    ]);
}
