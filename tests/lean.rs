//! phial built lean (`default-features = false`), over real sockets: the
//! seed app's plain cookies work, and what a missing feature would have
//! handled gets a clear answer. Its own test binary, needing no feature,
//! so `.ci/run` runs it with `--no-default-features`; the tests of what a
//! feature's absence does are compiled only when it is absent.

#[allow(dead_code)]
#[path = "support.rs"]
mod support;

use phial::prelude::*;
use support::{Conn, Server};

/// The seed app itself (its `main` unused here).
#[allow(dead_code)]
#[path = "../examples/cookies.rs"]
mod seed;

#[post("/form")]
fn form(request: &Request) -> String {
    format!("name={}", request.form.get("name", "(none)"))
}

fn app() -> App {
    App::new()
        .discover(concat!(module_path!(), "::seed"))
        .route(form)
}

#[tokio::test]
async fn seed_app_sets_and_reads_plain_cookies_in_any_build() {
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    let set = conn.get("/").await;
    assert_eq!(set.status, 200);
    assert_eq!(set.text(), "Hello, World!");
    assert_eq!(set.header("set-cookie"), Some("username=bob; Path=/"));
    conn.send("GET /user HTTP/1.1\r\nHost: test\r\nCookie: username=bob\r\n\r\n")
        .await;
    assert_eq!(conn.response(false).await.text(), "Hello, bob!");
    assert_eq!(conn.get("/user").await.text(), "Hello, Guest!");
    server.shut_down().await;
}

#[tokio::test]
async fn url_encoded_forms_are_read_in_any_build() {
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    let body = "name=ann+lee";
    conn.send(format!(
        "POST /form HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ))
    .await;
    assert_eq!(conn.response(false).await.text(), "name=ann lee");
    server.shut_down().await;
}

/// Without `multipart` the body is not parsed: the form is empty, the
/// request still answered.
#[cfg(not(feature = "multipart"))]
#[tokio::test]
async fn multipart_body_leaves_the_form_empty_without_the_multipart_feature() {
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    let body = "--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nann\r\n--XyZ--\r\n";
    conn.send(format!(
        "POST /form HTTP/1.1\r\nHost: test\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ))
    .await;
    let response = conn.response(false).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "name=(none)");
    server.shut_down().await;
}

/// Without `http2` a client opening with the HTTP/2 preface is closed (and
/// logged), and the server goes on serving HTTP/1.1.
#[cfg(not(feature = "http2"))]
#[tokio::test]
async fn http2_preface_is_closed_without_the_http2_feature() {
    let (logs, _capturing) = support::Logs::capture();
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").await;
    assert_eq!(conn.until_closed().await, b"");
    logs.wait_for("without its `http2` feature").await;
    let mut conn = Conn::open(server.addr).await;
    assert_eq!(conn.get("/").await.status, 200);
    server.shut_down().await;
}
