//! flaskr's `tests/test_factory.py`.

use super::app::create_app;
use super::conftest::{flaskr_tests, Run};
use phial::{App, Config};

fn testing(app: &App) -> bool {
    app.config().get::<bool>("TESTING").unwrap_or(false)
}

/// Test create_app without passing test config.
#[tokio::test]
async fn test_config() {
    assert!(!testing(&create_app(None).unwrap()));
    assert!(testing(
        &create_app(Some(Config::new().set("TESTING", true))).unwrap()
    ));
}

async fn test_hello(run: Run) {
    let Some(t) = run.app().await else { return };
    let response = t.client.get("/hello").await;
    assert_eq!(response.bytes().as_ref(), b"Hello, World!");
}

flaskr_tests!(test_hello);
