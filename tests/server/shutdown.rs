//! Graceful shutdown with `serve_with_shutdown`: in-flight requests finish,
//! new connections are refused, idle ones close at once, and the deadline
//! closes what runs too long. (SIGTERM to a real process is tested with the
//! banner, in `server.rs`.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use phial::prelude::*;

use crate::support::{Conn, Logs, Server, PATIENCE};

static SLOW_STARTED: AtomicUsize = AtomicUsize::new(0);
static STUCK_STARTED: AtomicUsize = AtomicUsize::new(0);
static SLOW_H2_STARTED: AtomicUsize = AtomicUsize::new(0);

#[get("/slow")]
async fn slow() -> &'static str {
    SLOW_STARTED.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(1)).await;
    "finished"
}

#[get("/slow-h2")]
async fn slow_h2() -> &'static str {
    SLOW_H2_STARTED.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(1)).await;
    "finished"
}

#[get("/stuck")]
async fn stuck() -> &'static str {
    STUCK_STARTED.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    "never"
}

/// Waits until a handler has bumped `counter`.
async fn started(counter: &AtomicUsize) {
    tokio::time::timeout(PATIENCE, async {
        while counter.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the handler never started");
}

#[tokio::test]
async fn in_flight_request_finishes_after_the_signal_and_new_connections_are_refused() {
    let (logs, _guard) = Logs::capture();
    let mut server = Server::start(App::new().route(slow)).await;
    let addr = server.addr;
    let mut conn = Conn::open(addr).await;
    conn.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n").await;
    started(&SLOW_STARTED).await;

    server.signal();
    logs.wait_for("shutting down").await;
    let refused = tokio::net::TcpStream::connect(addr).await;
    assert!(
        refused.is_err(),
        "a connection was accepted after the signal"
    );

    let response = conn.response(false).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "finished");
    // The connection doesn't stay open for another request.
    assert_eq!(response.header("connection"), Some("close"));
    assert!(conn.until_closed().await.is_empty());
    server.finished().await;
    assert!(logs.lines_with("deadline passed").is_empty());
}

#[tokio::test]
async fn in_flight_http2_request_finishes_after_the_signal() {
    let mut server = Server::start(App::new().route(slow_h2)).await;
    let client = Client::builder(TokioExecutor::new())
        .http2_only(true)
        .build_http::<Empty<Bytes>>();
    let pending = client.get(server.url("/slow-h2").parse().unwrap());
    let in_flight = tokio::spawn(pending);
    started(&SLOW_H2_STARTED).await;

    server.signal();
    let response = tokio::time::timeout(PATIENCE, in_flight)
        .await
        .expect("no answer")
        .unwrap()
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, "finished");
    server.finished().await;
}

#[tokio::test]
async fn shutdown_deadline_closes_a_request_that_runs_too_long() {
    let (logs, _guard) = Logs::capture();
    let app = App::new()
        .route(stuck)
        .shutdown_timeout(Duration::from_millis(200));
    let mut server = Server::start(app).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("GET /stuck HTTP/1.1\r\nHost: test\r\n\r\n").await;
    started(&STUCK_STARTED).await;

    server.signal();
    server.finished().await;
    // When `serve_with_shutdown` returns, the connection is gone: no answer.
    assert!(conn.until_closed().await.is_empty());
    logs.wait_for("shutdown deadline passed").await;
}

#[tokio::test]
async fn idle_and_silent_connections_do_not_hold_up_shutdown() {
    // A deadline far beyond the test's patience: only connections that close
    // at once let the server return in time.
    let app = App::new()
        .route(slow)
        .shutdown_timeout(Duration::from_secs(3600));
    let server = Server::start(app).await;
    let mut idle = Conn::open(server.addr).await;
    idle.send("GET /nowhere HTTP/1.1\r\nHost: test\r\n\r\n")
        .await;
    assert_eq!(idle.response(false).await.status, 404);
    let mut silent = Conn::open(server.addr).await;
    let mut partial = Conn::open(server.addr).await;
    partial.send("GET /nowh").await;

    server.shut_down().await;
    assert!(idle.until_closed().await.is_empty());
    assert!(silent.until_closed().await.is_empty());
    partial.until_closed().await;
}

#[tokio::test]
async fn a_request_sent_just_as_shutdown_starts_is_answered() {
    // The client has connected (the server has accepted, or will) but its
    // request is still on the way when the shutdown starts: a restart under
    // `run --debug` must not lose it.
    let app = App::new().route(slow);
    let mut server = Server::start(app).await;
    let mut just_connected = Conn::open(server.addr).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.signal();
    tokio::time::sleep(Duration::from_millis(50)).await;
    just_connected
        .send("GET /nowhere HTTP/1.1\r\nHost: test\r\n\r\n")
        .await;
    assert_eq!(just_connected.response(false).await.status, 404);
    server.finished().await;
}
