//! Flask quickstart features: redirects, abort, JSON.

use phial::prelude::*;
use phial::{redirect_with, Abort, JsonError};
use serde::{Deserialize, Serialize};

#[get("/old")]
fn old() -> Response {
    redirect("/new?x=1")
}

#[get("/moved")]
fn moved() -> Response {
    redirect_with("/elsewhere", StatusCode::MOVED_PERMANENTLY)
}

#[get("/user/<int:id>")]
fn user(id: usize) -> Result<String, Abort> {
    let name = ["ann", "bob"].get(id).ok_or(abort(404))?;
    if *name == "ann" {
        return Err(abort(StatusCode::FORBIDDEN));
    }
    Ok(format!("Hello, {name}!"))
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Point {
    x: i32,
    y: i32,
}

#[post("/mirror")]
fn mirror(request: &Request) -> Result<Json<Point>, JsonError> {
    let point: Point = request.json()?;
    Ok(Json(Point {
        x: point.y,
        y: point.x,
    }))
}

#[get("/value")]
fn json_value() -> serde_json::Value {
    serde_json::json!({ "ok": true, "items": [1, 2] })
}

fn app() -> App {
    App::new().routes(routes![old, moved, user, mirror, json_value])
}

#[tokio::test]
async fn redirect_answers_302_with_location_and_a_link() {
    let client = app().test_client();
    let response = client.get("/old").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.header("location"), Some("/new?x=1"));
    assert!(response.text().contains("<a href=\"/new?x=1\">"));
    let response = client.get("/moved").await;
    assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(response.header("location"), Some("/elsewhere"));
}

#[tokio::test]
async fn abort_leaves_the_handler_with_an_error_page() {
    let client = app().test_client();
    assert_eq!(client.get("/user/1").await.text(), "Hello, bob!");
    let response = client.get("/user/7").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().contains("<h1>Not Found</h1>"));
    assert_eq!(client.get("/user/0").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn json_in_and_out() {
    let client = app().test_client();
    let response = client
        .post("/mirror")
        .header("Content-Type", "application/json; charset=utf-8")
        .body(r#"{"x": 1, "y": 2}"#)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let point: Point = serde_json::from_slice(response.bytes()).unwrap();
    assert_eq!(point, Point { x: 2, y: 1 });

    let value: serde_json::Value =
        serde_json::from_slice(client.get("/value").await.bytes()).unwrap();
    assert_eq!(value["items"][1], 2);
}

#[tokio::test]
async fn bad_json_is_a_clear_400_and_wrong_type_a_415() {
    let client = app().test_client();
    let response = client
        .post("/mirror")
        .header("Content-Type", "application/json")
        .body(r#"{"x": 1"#)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response.text().contains("invalid JSON body"),
        "{}",
        response.text()
    );

    let response = client
        .post("/mirror")
        .header("Content-Type", "application/json")
        .body(r#"{"x": "one", "y": 2}"#)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response.text().contains("invalid type"),
        "{}",
        response.text()
    );

    let response = client.post("/mirror").body(r#"{"x": 1, "y": 2}"#).await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(response.text().contains("application/json"));
}
