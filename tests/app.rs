//! The app as a whole: the seed example (examples/cookies.rs) through the
//! test client.

use phial::prelude::*;

// The seed example itself, not a copy of it.
#[allow(dead_code)]
#[path = "../examples/cookies.rs"]
mod seed;

/// The seed app as `#[phial::main]` serves it: its module's routes.
fn seed_app() -> App {
    App::new().discover(concat!(module_path!(), "::seed"))
}

#[tokio::test]
async fn seed_app_sets_and_reads_the_username_cookie() {
    let client = seed_app().test_client();
    assert_eq!(client.get("/user").await.text(), "Hello, Guest!");
    let response = client.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text(), "Hello, World!");
    assert_eq!(response.set_cookie_headers(), ["username=bob; Path=/"]);
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(client.get("/user").await.text(), "Hello, bob!");
}

#[test]
fn app_request_and_response_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<App>();
    send_sync::<Request>();
    send_sync::<Response>();
    send_sync::<phial::TestClient>();
}
