//! Static files: served from the app's folder with validators, and never
//! from outside it.

use std::path::PathBuf;

use phial::prelude::*;
use phial::send_from_directory;

/// A fresh folder tree: `root/static/{hello.txt,css/site.css}`, a secret
/// beside `static/`, and a symlink inside pointing at the secret.
fn fixture(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("phial-static-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("static/css")).unwrap();
    std::fs::write(root.join("static/hello.txt"), "hello static").unwrap();
    std::fs::write(root.join("static/css/site.css"), "body{}").unwrap();
    std::fs::write(root.join("secret.txt"), "top secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("secret.txt"), root.join("static/link.txt")).unwrap();
    root
}

#[get("/static/special")]
fn special() -> &'static str {
    "a route of the app's own"
}

#[tokio::test]
async fn serves_files_with_type_and_validators() {
    let root = fixture("serve");
    let client = App::new().static_folder(root.join("static")).test_client();
    let response = client.get("/static/hello.txt").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text(), "hello static");
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(response.header("cache-control"), Some("no-cache"));
    assert!(response.header("etag").is_some());
    assert!(response.header("last-modified").is_some());
    let css = client.get("/static/css/site.css").await;
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));

    let head = client.head("/static/hello.txt").await;
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.header("content-length"), Some("12"));
    assert!(head.bytes().is_empty());
}

#[tokio::test]
async fn options_on_a_static_file_is_an_empty_html_response_as_in_flask() {
    let root = fixture("options");
    let client = App::new().static_folder(root.join("static")).test_client();
    let response = client.options("/static/hello.txt").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(response.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert!(response.bytes().is_empty());
}

#[tokio::test]
async fn answers_304_when_the_client_copy_is_current() {
    let root = fixture("conditional");
    let client = App::new().static_folder(root.join("static")).test_client();
    let first = client.get("/static/hello.txt").await;
    let etag = first.header("etag").unwrap().to_owned();
    let modified = first.header("last-modified").unwrap().to_owned();

    let response = client
        .get("/static/hello.txt")
        .header("If-None-Match", &etag)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert!(response.bytes().is_empty());
    assert_eq!(response.header("etag"), Some(etag.as_str()));

    let response = client
        .get("/static/hello.txt")
        .header("If-Modified-Since", &modified)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);

    let response = client
        .get("/static/hello.txt")
        .header("If-None-Match", "\"other\"")
        .header("If-Modified-Since", &modified)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "If-None-Match wins");
    let response = client
        .get("/static/hello.txt")
        .header("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn no_request_leaves_the_folder() {
    let root = fixture("traversal");
    let client = App::new().static_folder(root.join("static")).test_client();
    for path in [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E%2Fsecret.txt",
        "/static/..%2fsecret.txt",
        "/static/css/..%2F..%2Fsecret.txt",
        "/static/..%5csecret.txt",
        "/static/%5c..%5csecret.txt",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/link.txt",
        "/static/hello.txt%00.png",
        "/static/css",
        "/static/",
        "/static/missing.txt",
    ] {
        let response = client.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!response.text().contains("top secret"), "{path}");
    }
}

#[tokio::test]
async fn app_routes_win_and_static_files_can_move_or_go() {
    let root = fixture("config");
    let client = App::new()
        .static_folder(root.join("static"))
        .route(special)
        .test_client();
    assert_eq!(
        client.get("/static/special").await.text(),
        "a route of the app's own"
    );
    assert_eq!(
        client.post("/static/hello.txt").await.status(),
        StatusCode::METHOD_NOT_ALLOWED
    );

    let moved = App::new()
        .static_folder(root.join("static"))
        .static_url_path("/assets/")
        .test_client();
    assert_eq!(moved.get("/assets/hello.txt").await.text(), "hello static");
    assert_eq!(
        moved.get("/static/hello.txt").await.status(),
        StatusCode::NOT_FOUND
    );

    let none = App::new().without_static_files().test_client();
    assert_eq!(
        none.get("/static/hello.txt").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[get("/files/<path:name>")]
async fn files(name: &str) -> Response {
    let root = std::env::temp_dir().join(format!("phial-static-handler-{}", std::process::id()));
    send_from_directory(root.join("static"), name).await
}

#[tokio::test]
async fn send_from_directory_in_a_handler() {
    fixture("handler");
    let client = App::new().route(files).test_client();
    assert_eq!(client.get("/files/css/site.css").await.text(), "body{}");
    assert_eq!(
        client.get("/files/..%2Fsecret.txt").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        client.get("/files/link.txt").await.status(),
        StatusCode::NOT_FOUND
    );
}
