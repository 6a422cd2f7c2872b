//! Protection nobody has to configure, over a raw socket: the header-read
//! timeout, the header caps, the body limit and timeout, the Host rule, and
//! malformed requests. Every refusal leaves a log line and the server keeps
//! serving.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Empty;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use phial::prelude::*;

use crate::support::{exchange, Conn, Logs, Server, PATIENCE};

const TIMEOUT: Duration = Duration::from_millis(300);
/// Lower bound for "closed by the timeout, not at once" (timers never fire
/// early; this leaves room for the clock).
const AT_LEAST: Duration = Duration::from_millis(250);
const BODY_LIMIT: usize = 1024;

fn app() -> App {
    super::app()
        .header_read_timeout(TIMEOUT)
        .body_read_timeout(TIMEOUT)
        .max_body_size(BODY_LIMIT)
        .max_header_size(2048)
}

/// Takes twice the timeouts, which only bound the client's sending.
#[get("/sleepy")]
async fn sleepy() -> &'static str {
    tokio::time::sleep(2 * TIMEOUT).await;
    "rested"
}

/// The status line of a raw answer.
fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or("")
}

#[tokio::test]
async fn a_client_that_sends_nothing_is_closed_while_others_are_served() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let started = Instant::now();
    let mut silent = Conn::open(server.addr).await;

    let mut other = Conn::open(server.addr).await;
    assert_eq!(other.get("/").await.status, 200);

    assert!(silent.until_closed().await.is_empty());
    assert!(started.elapsed() >= AT_LEAST);
    logs.wait_for("request head not received within 300ms")
        .await;
    server.shut_down().await;
}

#[tokio::test]
async fn a_stalled_request_line_is_closed_without_an_answer() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let started = Instant::now();
    let mut stalled = Conn::open(server.addr).await;
    stalled.send("GET /ind").await;

    let mut other = Conn::open(server.addr).await;
    assert_eq!(other.get("/").await.status, 200);

    // hyper gives up on the head silently: no 408, just a close.
    assert!(stalled.until_closed().await.is_empty());
    assert!(started.elapsed() >= AT_LEAST);
    logs.wait_for("request head not received within 300ms")
        .await;
    assert_eq!(Conn::open(server.addr).await.get("/").await.status, 200);
    server.shut_down().await;
}

#[tokio::test]
async fn the_first_head_is_due_within_the_timeout_of_the_accept() {
    // Waiting before the first byte doesn't buy more time for the rest.
    let timeout = Duration::from_secs(2);
    let server = Server::start(super::app().header_read_timeout(timeout)).await;
    let started = Instant::now();
    let mut late = Conn::open(server.addr).await;
    tokio::time::sleep(timeout * 3 / 4).await;
    late.send("G").await;
    assert!(late.until_closed().await.is_empty());
    let closed_after = started.elapsed();
    assert!(closed_after >= timeout * 9 / 10, "{closed_after:?}");
    // Restarting the clock at the first byte would close at 3.5 s.
    assert!(closed_after < timeout * 3 / 2, "{closed_after:?}");
    server.shut_down().await;
}

#[tokio::test]
async fn headers_dripped_byte_by_byte_still_hit_the_deadline() {
    let server = Server::start(app()).await;
    let mut drip = Conn::open(server.addr).await;
    drip.send("GET / HTTP/1.1\r\nHost: test\r\n").await;
    let started = Instant::now();
    // Each byte arrives well within the timeout; the whole head never does.
    // The deadline counts from the head's start, so writes begin to fail.
    let mut closed = false;
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if !drip.try_send(b"X").await {
            closed = true;
            break;
        }
    }
    assert!(closed, "a dripping client kept its connection");
    assert!(started.elapsed() >= Duration::from_millis(200));
    server.shut_down().await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_timeout() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    assert_eq!(conn.get("/").await.status, 200);
    let idle_since = Instant::now();
    assert!(conn.until_closed().await.is_empty());
    assert!(idle_since.elapsed() >= AT_LEAST);
    server.shut_down().await;
    // Routine, not a refusal: nothing at INFO but the access line.
    assert_eq!(logs.lines_with("127.0.0.1").len(), 1, "{}", logs.text());
}

#[tokio::test]
async fn oversized_headers_are_answered_431() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let big = "a".repeat(4000);
    let answer = exchange(
        server.addr,
        format!("GET / HTTP/1.1\r\nHost: test\r\nX-Big: {big}\r\n\r\n"),
    )
    .await;
    assert_eq!(
        status_line(&answer),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    logs.wait_for("431").await;
    assert_eq!(Conn::open(server.addr).await.get("/").await.status, 200);
    server.shut_down().await;
}

#[tokio::test]
async fn more_than_100_headers_are_answered_431() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let headers = |count: usize| -> String {
        (1..count)
            .map(|n| format!("X-{n}: {n}\r\n"))
            .collect::<String>()
    };
    // 100 headers, Host included: served.
    let mut conn = Conn::open(server.addr).await;
    conn.send(format!(
        "GET / HTTP/1.1\r\nHost: test\r\n{}\r\n",
        headers(100)
    ))
    .await;
    assert_eq!(conn.response(false).await.status, 200);

    let answer = exchange(
        server.addr,
        format!("GET / HTTP/1.1\r\nHost: test\r\n{}\r\n", headers(101)),
    )
    .await;
    assert_eq!(
        status_line(&answer),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    logs.wait_for("431").await;
    server.shut_down().await;
}

#[tokio::test]
async fn max_headers_raises_and_lowers_the_header_count_limit() {
    let request = |count: usize| -> String {
        let headers: String = (1..count).map(|n| format!("X-{n}: {n}\r\n")).collect();
        format!("GET / HTTP/1.1\r\nHost: test\r\n{headers}\r\n")
    };
    // Raised above hyper's 100, and lowered below it.
    for limit in [150, 10] {
        let server = Server::start(app().max_headers(limit)).await;
        assert_eq!(
            status_line(&exchange(server.addr, request(limit)).await),
            "HTTP/1.1 200 OK",
            "{limit} headers with max_headers({limit})"
        );
        assert_eq!(
            status_line(&exchange(server.addr, request(limit + 1)).await),
            "HTTP/1.1 431 Request Header Fields Too Large",
            "{} headers with max_headers({limit})",
            limit + 1
        );
        server.shut_down().await;
    }
}

#[tokio::test]
async fn content_length_over_the_limit_is_refused_before_the_body() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    // The body is never sent: the answer can't depend on reading it.
    let answer = exchange(
        server.addr,
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 1000000\r\n\r\n",
    )
    .await;
    assert_eq!(status_line(&answer), "HTTP/1.1 413 Payload Too Large");
    assert!(answer.contains("connection: close\r\n"), "{answer}");
    logs.wait_for("413, Content-Length over the 1024 byte limit")
        .await;
    logs.wait_for("\"POST /echo HTTP/1.1\" 413").await;

    let mut conn = Conn::open(server.addr).await;
    let body = "x".repeat(BODY_LIMIT);
    conn.send(format!(
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: {BODY_LIMIT}\r\n\r\n{body}"
    ))
    .await;
    assert_eq!(conn.response(false).await.text(), "1024 bytes");
    server.shut_down().await;
}

#[tokio::test]
async fn a_chunked_body_crossing_the_limit_is_answered_413() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let chunk = "x".repeat(600);
    let chunked = |chunks: usize, end: &str| {
        let mut request =
            "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n".to_owned();
        for _ in 0..chunks {
            request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
        }
        request + end
    };

    let mut conn = Conn::open(server.addr).await;
    conn.send(chunked(1, "0\r\n\r\n")).await;
    assert_eq!(conn.response(false).await.text(), "600 bytes");

    // No terminating chunk: the limit is crossed before the body ends.
    let answer = exchange(server.addr, chunked(2, "")).await;
    assert_eq!(status_line(&answer), "HTTP/1.1 413 Payload Too Large");
    logs.wait_for("413, body over the 1024 byte limit").await;
    server.shut_down().await;
}

#[tokio::test]
async fn expect_continue_is_refused_413_without_100_continue() {
    let server = Server::start(app()).await;
    let answer = exchange(
        server.addr,
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n",
    )
    .await;
    assert_eq!(status_line(&answer), "HTTP/1.1 413 Payload Too Large");
    assert!(!answer.contains("100 Continue"), "{answer}");

    // Within the limit, the client is told to go on.
    let mut conn = Conn::open(server.addr).await;
    conn.send(
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
    )
    .await;
    assert_eq!(conn.response(false).await.status, 100);
    conn.send("hello").await;
    assert_eq!(conn.response(false).await.text(), "5 bytes");
    server.shut_down().await;
}

#[tokio::test]
async fn a_stalled_body_is_answered_408() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nonly this")
        .await;
    let started = Instant::now();
    let response = conn.response(false).await;
    assert_eq!(response.status, 408);
    assert!(started.elapsed() >= AT_LEAST);
    assert_eq!(response.header("connection"), Some("close"));
    assert!(conn.until_closed().await.is_empty());
    logs.wait_for("408, body not received within 300ms").await;
    server.shut_down().await;
}

#[tokio::test]
async fn host_is_required_once_on_http11_but_not_on_http10() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let missing = exchange(server.addr, "GET / HTTP/1.1\r\n\r\n").await;
    assert_eq!(status_line(&missing), "HTTP/1.1 400 Bad Request");
    assert!(missing.contains("<h1>Bad Request</h1>"));
    let twice = exchange(server.addr, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").await;
    assert_eq!(status_line(&twice), "HTTP/1.1 400 Bad Request");
    assert_eq!(
        logs.lines_with("400, HTTP/1.1 request without exactly one Host header")
            .len(),
        2
    );
    // Refused requests are in the access log too.
    assert_eq!(logs.lines_with("\"GET / HTTP/1.1\" 400").len(), 2);

    let old = exchange(server.addr, "GET / HTTP/1.0\r\n\r\n").await;
    assert_eq!(status_line(&old), "HTTP/1.0 200 OK");
    assert!(old.ends_with("Hello, World!"));
    server.shut_down().await;
}

#[tokio::test]
async fn malformed_requests_are_answered_400_and_the_server_keeps_serving() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    for request in [
        "GARBAGE\r\n\r\n",
        "GET / HTTP/9.9\r\nHost: test\r\n\r\n",
        "GET /\x01 HTTP/1.1\r\nHost: test\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: test\r\nX-Nul: a\0b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: test\r\nBad Name: x\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: nope\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    ] {
        let answer = exchange(server.addr, request).await;
        assert_eq!(
            status_line(&answer),
            "HTTP/1.1 400 Bad Request",
            "{request:?}"
        );
    }
    assert_eq!(logs.lines_with("400, malformed request").len(), 7);
    assert_eq!(Conn::open(server.addr).await.get("/").await.status, 200);
    server.shut_down().await;
}

#[tokio::test]
async fn an_http2_client_that_sends_only_the_preface_is_closed() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let started = Instant::now();
    let mut conn = Conn::open(server.addr).await;
    conn.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").await;
    conn.until_closed().await;
    assert!(started.elapsed() >= AT_LEAST);
    logs.wait_for("closed, request head not received within 300ms")
        .await;
    server.shut_down().await;
}

#[tokio::test]
async fn an_idle_http2_connection_is_closed() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .unwrap();
    let connection = tokio::spawn(connection);
    let request = http::Request::get(server.url("/"))
        .body(Empty::<Bytes>::new())
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let idle_since = Instant::now();
    // The server says GOAWAY: the client's connection ends cleanly.
    tokio::time::timeout(PATIENCE, connection)
        .await
        .expect("the idle connection stayed open")
        .unwrap()
        .unwrap();
    assert!(idle_since.elapsed() >= AT_LEAST);
    server.shut_down().await;
    assert_eq!(logs.lines_with("127.0.0.1").len(), 1, "{}", logs.text());
}

#[tokio::test]
async fn a_handler_slower_than_the_timeouts_is_not_cut_off() {
    let server = Server::start(app().route(sleepy)).await;
    let mut conn = Conn::open(server.addr).await;
    assert_eq!(conn.get("/sleepy").await.text(), "rested");

    let client = Client::builder(TokioExecutor::new())
        .http2_only(true)
        .build_http::<Empty<Bytes>>();
    let response = client
        .get(server.url("/sleepy").parse().unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.version(), http::Version::HTTP_2);
    drop(client);
    server.shut_down().await;
}

#[tokio::test]
async fn timeouts_meant_as_never_do_not_break_the_server() {
    let app = super::app()
        .header_read_timeout(Duration::MAX)
        .body_read_timeout(Duration::MAX)
        .shutdown_timeout(Duration::MAX);
    let server = Server::start(app).await;
    let mut conn = Conn::open(server.addr).await;
    assert_eq!(conn.get("/").await.status, 200);
    conn.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\nhi")
        .await;
    assert_eq!(conn.response(false).await.text(), "2 bytes");
    let client = Client::builder(TokioExecutor::new())
        .http2_only(true)
        .build_http::<Empty<Bytes>>();
    let response = client.get(server.url("/").parse().unwrap()).await.unwrap();
    assert_eq!(response.status(), 200);
    drop((client, conn));
    server.shut_down().await;
}
