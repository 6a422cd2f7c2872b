//! Quickstart features where the wire matters, over a real socket: static
//! files (traversal as raw bytes no client would normalize), uploads and
//! redirects.

use phial::prelude::*;
use phial::secure_filename;

use crate::support::{Conn, Server};

#[get("/go")]
fn go() -> Response {
    redirect("/target?from=go")
}

#[post("/upload")]
async fn upload(request: &Request) -> Result<String, StatusCode> {
    let file = request.files.get("file").ok_or(StatusCode::BAD_REQUEST)?;
    Ok(format!(
        "{} {} {}",
        secure_filename(file.filename().unwrap_or("")),
        file.len(),
        request.form.get("note", "-")
    ))
}

fn folder() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("phial-wire-{}", std::process::id()));
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/app.js"), "console.log(1)").unwrap();
    std::fs::write(root.join("secret.txt"), "top secret").unwrap();
    root
}

async fn server() -> Server {
    let app = App::new()
        .static_folder(folder().join("static"))
        .max_body_size(64 * 1024)
        .route(go)
        .route(upload);
    Server::start(app).await
}

#[tokio::test]
async fn static_files_over_a_socket_with_conditional_get() {
    let server = server().await;
    let mut conn = Conn::open(server.addr).await;
    let response = conn.get("/static/app.js").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "console.log(1)");
    assert_eq!(
        response.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let etag = response.header("etag").unwrap().to_owned();
    conn.send(format!(
        "GET /static/app.js HTTP/1.1\r\nHost: t\r\nIf-None-Match: {etag}\r\n\r\n"
    ))
    .await;
    let response = conn.response(true).await;
    assert_eq!(response.status, 304);
    assert!(response.body.is_empty());
    server.shut_down().await;
}

#[tokio::test]
async fn raw_traversal_targets_never_leave_the_folder() {
    let server = server().await;
    for target in [
        "/static/../secret.txt",
        "/static/..%2fsecret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2e%2e%5csecret.txt",
        "/static/..\\secret.txt",
        "/static//etc/passwd",
        "/static/%2Fetc%2Fpasswd",
    ] {
        let mut conn = Conn::open(server.addr).await;
        conn.send(format!("GET {target} HTTP/1.1\r\nHost: t\r\n\r\n"))
            .await;
        let response = conn.response(false).await;
        assert!(
            response.status == 404 || response.status == 400,
            "{target}: {}",
            response.status
        );
        assert!(!response.text().contains("top secret"), "{target}");
    }
    server.shut_down().await;
}

#[tokio::test]
async fn redirects_over_a_socket() {
    let server = server().await;
    let mut conn = Conn::open(server.addr).await;
    let response = conn.get("/go").await;
    assert_eq!(response.status, 302);
    assert_eq!(response.header("location"), Some("/target?from=go"));
    server.shut_down().await;
}

#[tokio::test]
async fn multipart_uploads_over_a_socket() {
    let server = server().await;
    let body = "--b0undary\r\n\
        Content-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n\
        --b0undary\r\n\
        Content-Disposition: form-data; name=\"file\"; filename=\"../../x y.txt\"\r\n\
        Content-Type: text/plain\r\n\r\n0123456789\r\n\
        --b0undary--\r\n";
    let mut conn = Conn::open(server.addr).await;
    conn.send(format!(
        "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=b0undary\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    ))
    .await;
    let response = conn.response(false).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.text(), "x_y.txt 10 hello");

    let mut conn = Conn::open(server.addr).await;
    conn.send(
        "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=b\r\n\
         Content-Length: 100000\r\n\r\n",
    )
    .await;
    assert_eq!(conn.response(false).await.status, 413);
    server.shut_down().await;
}
