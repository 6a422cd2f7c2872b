//! Form data and file uploads.

use phial::prelude::*;
use phial::secure_filename;

#[route("/login", methods = ["GET", "POST"])]
fn login(request: &Request) -> String {
    if request.method() == "POST" {
        format!(
            "{}:{}:{}",
            request.form.get("username", "?"),
            request.form.get("age", 0u8),
            request.form.get_all("role").collect::<Vec<_>>().join("+"),
        )
    } else {
        "form".to_owned()
    }
}

#[post("/upload")]
async fn upload(request: &Request) -> Result<String, StatusCode> {
    let file = request.files.get("file").ok_or(StatusCode::BAD_REQUEST)?;
    let name = secure_filename(file.filename().unwrap_or(""));
    let dir = std::env::temp_dir().join(format!("phial-uploads-{}", std::process::id()));
    tokio::fs::create_dir_all(&dir).await.unwrap();
    file.save(dir.join(&name)).await.unwrap();
    let saved = tokio::fs::read(dir.join(&name)).await.unwrap();
    Ok(format!(
        "{name} {} {} bytes, saved {} | title={} | {} files",
        file.content_type().unwrap_or("-"),
        file.len(),
        saved.len(),
        request.form.get("title", "-"),
        request.files.get_all("file").count(),
    ))
}

fn app() -> App {
    App::new().route(login).route(upload)
}

const BOUNDARY: &str = "XyZphialBoundary";

fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    crate::support::multipart_body(BOUNDARY, "text/plain", parts)
}

fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

#[tokio::test]
async fn urlencoded_forms_use_the_shared_get() {
    let client = app().test_client();
    let response = client
        .post("/login")
        .form(&[
            ("username", "bob smith"),
            ("age", "42"),
            ("role", "a"),
            ("role", "b"),
        ])
        .await;
    assert_eq!(response.text(), "bob smith:42:a+b");
    let response = client.post("/login").form(&[("age", "old")]).await;
    assert_eq!(response.text(), "?:0:");
    let response = client.post("/login").body("username=raw").await;
    assert_eq!(response.text(), "?:0:", "no form Content-Type, no form");
}

#[tokio::test]
async fn multipart_fields_and_files() {
    let client = app().test_client();
    let body = multipart(&[("username", None, b"ann"), ("role", None, b"admin")]);
    let response = client
        .post("/login")
        .header("Content-Type", &content_type())
        .body(body)
        .await;
    assert_eq!(response.text(), "ann:0:admin");

    let body = multipart(&[
        ("title", None, "Résumé".as_bytes()),
        ("file", Some("../../My Résumé.txt"), b"hello upload"),
        ("file", Some("second.txt"), b"2"),
    ]);
    let response = client
        .post("/upload")
        .header("Content-Type", &content_type())
        .body(body)
        .await;
    assert_eq!(
        response.text(),
        "My_Resume.txt text/plain 12 bytes, saved 12 | title=Résumé | 2 files"
    );
}

#[tokio::test]
async fn malformed_multipart_is_a_400() {
    let client = app().test_client();
    let response = client
        .post("/upload")
        .header("Content-Type", &content_type())
        .body("--XyZphialBoundary\r\nno headers end")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = client
        .post("/upload")
        .header("Content-Type", "multipart/form-data")
        .body("x")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "no boundary");
}

#[tokio::test]
async fn uploads_over_the_body_limit_are_413() {
    let client = app().max_body_size(1024).test_client();
    let body = multipart(&[("file", Some("big.bin"), &[b'x'; 2048])]);
    let response = client
        .post("/upload")
        .header("Content-Type", &content_type())
        .body(body)
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[post("/require")]
fn require_title(request: &Request) -> Result<String, phial::Error> {
    let title = request.form.require("title")?;
    Ok(format!("title: {title}"))
}

#[tokio::test]
async fn a_required_field_missing_is_a_400_as_flasks_bad_request_key_error() {
    let client = App::new().route(require_title).test_client();
    let response = client.post("/require").form(&[("title", "")]).await;
    assert_eq!(response.text(), "title: ", "present, even empty, is there");
    let response = client.post("/require").form(&[("body", "x")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().contains("<h1>Bad Request</h1>"));
}
