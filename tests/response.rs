//! `Response` building, and what each kind of handler return becomes.

use phial::prelude::*;
use phial::Bytes;

#[route("/created")]
fn created() -> Response {
    Response::new("made")
        .with_status(StatusCode::CREATED)
        .with_header("X-Id", "7")
        .with_content_type("text/plain")
}

#[route("/tuple")]
fn tuple() -> (StatusCode, String) {
    (StatusCode::ACCEPTED, "later".to_owned())
}

#[route("/bytes")]
fn bytes() -> Bytes {
    Bytes::from_static(b"\x00\x01")
}

#[route("/maybe/<int:id>")]
fn maybe(id: u32) -> Option<&'static str> {
    (id == 1).then_some("one")
}

#[route("/fallible/<int:id>")]
fn fallible(id: u32) -> Result<String, (StatusCode, &'static str)> {
    if id == 0 {
        Err((StatusCode::BAD_REQUEST, "zero"))
    } else {
        Ok(format!("ok {id}"))
    }
}

#[tokio::test]
async fn builder_sets_status_headers_and_content_type() {
    let client = App::new().route(created).test_client();
    let response = client.get("/created").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.header("x-id"), Some("7"));
    assert_eq!(response.header("content-type"), Some("text/plain"));
    assert_eq!(response.header("content-length"), Some("4"));
    assert_eq!(response.text(), "made");
}

#[tokio::test]
async fn return_types_become_responses() {
    let client = App::new()
        .route(tuple)
        .route(bytes)
        .route(maybe)
        .route(fallible)
        .test_client();
    let response = client.get("/tuple").await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(response.text(), "later");
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );

    let response = client.get("/bytes").await;
    assert_eq!(response.bytes().as_ref(), b"\x00\x01");
    assert_eq!(
        response.header("content-type"),
        Some("application/octet-stream")
    );

    assert_eq!(client.get("/maybe/1").await.text(), "one");
    assert_eq!(client.get("/maybe/2").await.status(), StatusCode::NOT_FOUND);

    assert_eq!(client.get("/fallible/3").await.text(), "ok 3");
    let response = client.get("/fallible/0").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.text(), "zero");
}

#[test]
fn responses_expose_what_they_hold() {
    let mut response = make_response("hello");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.content_type(), Some("text/html; charset=utf-8"));
    assert_eq!(response.body().as_bytes(), b"hello");
    response.set_status(StatusCode::NOT_FOUND);
    response.set_header("X-A", "b");
    response.set_body("gone");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()["x-a"], "b");
    assert_eq!(response.body().len(), 4);
}

#[test]
#[should_panic(expected = "invalid value for header `x-a`")]
fn header_values_with_newlines_are_refused() {
    let _ = make_response("").with_header("X-A", "b\r\nSet-Cookie: evil=1");
}

#[get("/post/<int:id>")]
fn missing_post(id: u32) -> Result<String, phial::Abort> {
    Err(abort(404).description(format!("Post id {id} doesn't exist.\n<b>&</b>")))
}

#[tokio::test]
async fn abort_with_a_description_shows_it_escaped_as_werkzeug_does() {
    let client = App::new().route(missing_post).test_client();
    let response = client.get("/post/7").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Werkzeug 3.1's NotFound("Post id 7 doesn't exist.\n<b>&</b>").get_body()
    assert_eq!(
        response.text(),
        "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n\
         <p>Post id 7 doesn&#39;t exist.<br>&lt;b&gt;&amp;&lt;/b&gt;</p>\n"
    );
    // An error handler for the status still renders the page.
    let client = App::new()
        .route(missing_post)
        .errorhandler(404, |_request, _status| "custom")
        .test_client();
    let response = client.get("/post/7").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.text(), "custom");
}
