//! `MAX_FORM_MEMORY_SIZE`, as Flask 3.1 has it: a multipart field that is
//! not a file is held in memory, so one longer than the limit is answered
//! 413 (and logged) before the rest of the body is read; files don't count.

use phial::prelude::*;

use crate::support::{Conn, Logs, Server};

const BOUNDARY: &str = "XyZphialFormMemory";

fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    crate::support::multipart_body(BOUNDARY, "application/octet-stream", parts)
}

fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// The length of each field and file it received.
#[post("/sizes")]
fn sizes(request: &Request) -> String {
    let note = request.form.get("note", String::new());
    let file = request.files.get("file").map_or(0, |file| file.len());
    format!("note={} file={file}", note.len())
}

async fn post(app: App, body: Vec<u8>) -> (StatusCode, String) {
    let response = app
        .route(sizes)
        .test_client()
        .post("/sizes")
        .header("Content-Type", &content_type())
        .body(body)
        .await;
    (response.status(), response.text())
}

#[tokio::test]
async fn a_field_over_the_limit_is_413_and_logged() {
    let (logs, _capturing) = Logs::capture();
    let note = vec![b'x'; 500_001];
    let (status, _) = post(App::new(), multipart(&[("note", None, &note)])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let line = logs.wait_for("MAX_FORM_MEMORY_SIZE").await;
    assert!(line.contains("413") && line.contains("\"note\""), "{line}");
}

#[tokio::test]
async fn a_field_at_the_limit_and_a_file_past_it_are_received() {
    let note = vec![b'x'; 500_000];
    let file = vec![7; 2_000_000];
    let body = multipart(&[("note", None, &note), ("file", Some("big.bin"), &file)]);
    let (status, text) = post(App::new(), body).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, "note=500000 file=2000000")
    );
}

#[tokio::test]
async fn the_limit_is_a_setting_and_a_config_key() {
    let note = vec![b'x'; 700_000];
    let body = multipart(&[("note", None, &note)]);
    let raised = App::new().max_form_memory_size(1_000_000);
    assert_eq!(post(raised, body.clone()).await.1, "note=700000 file=0");
    let config = phial::Config::new().set("MAX_FORM_MEMORY_SIZE", 100);
    let app = App::from_config(config).unwrap();
    assert_eq!(
        app.config()
            .value("MAX_FORM_MEMORY_SIZE")
            .and_then(|v| v.as_integer()),
        Some(100)
    );
    // Even a body shorter than the spool threshold: it is parsed as it
    // arrives once it could hold a field over the limit.
    let short = multipart(&[("note", None, &[b'y'; 101])]);
    assert_eq!(post(app, short).await.0, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn over_a_socket_the_413_comes_before_the_rest_of_the_body() {
    let server = Server::start(App::new().max_form_memory_size(1000).route(sizes)).await;
    let mut conn = Conn::open(server.addr).await;
    let body = multipart(&[("note", None, &[b'z'; 4000])]);
    // The head and the field's first 2000 bytes: past the limit, with the
    // rest of the declared body still to come.
    conn.send(format!(
        "POST /sizes HTTP/1.1\r\nHost: test\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
        content_type(),
        body.len() + 1_000_000
    ))
    .await;
    conn.send(&body[..2000]).await;
    let response = conn.response(false).await;
    assert_eq!(response.status, 413);
    assert_eq!(response.header("connection"), Some("close"));
    server.shut_down().await;
}
