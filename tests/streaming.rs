//! Streamed responses: through the test client, chunked over HTTP/1.1,
//! data frames over HTTP/2, backpressure, the stream dropped when the
//! client goes away, and Server-Sent Events.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, StreamExt};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use phial::extract::State;
use phial::prelude::*;
use phial::sse::{last_event_id, Event, Sse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use crate::support::{assert_ends_complete, until_keep_alive_comments, Conn, Server, PATIENCE};

#[get("/numbers")]
fn numbers() -> Response {
    Response::stream_iter((1..=5).map(|n| format!("{n}\n"))).with_content_type("text/plain")
}

#[get("/async")]
fn async_chunks() -> Response {
    let chunks = stream::unfold(0, |n| async move {
        (n < 3).then(|| {
            let chunk: Result<String, std::io::Error> = Ok(format!("chunk {n};"));
            (chunk, n + 1)
        })
    });
    Response::stream(chunks)
}

#[get("/broken")]
fn broken() -> Response {
    let chunks = stream::unfold(0, |n| async move {
        match n {
            0 => Some((Ok(Bytes::from_static(b"partial")), 1)),
            1 => {
                // Pending once: hyper sends what it has.
                tokio::task::yield_now().await;
                Some((Err(std::io::Error::other("the source failed")), 2))
            }
            _ => None,
        }
    });
    Response::stream(chunks)
}

fn app() -> App {
    App::new().routes(routes![numbers, async_chunks, broken, events])
}

/// `GET path` through hyper's client (HTTP/2 only if `http2`): the
/// response's head and its whole body.
async fn fetch(server: &Server, path: &str, http2: bool) -> (http::response::Parts, Bytes) {
    let client = Client::builder(TokioExecutor::new())
        .http2_only(http2)
        .build_http::<Empty<Bytes>>();
    let response = client.get(server.url(path).parse().unwrap()).await.unwrap();
    let (head, body) = response.into_parts();
    (head, body.collect().await.unwrap().to_bytes())
}

#[tokio::test]
async fn the_test_client_reads_a_stream_whole() {
    let client = app().test_client();
    let response = client.get("/numbers").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text(), "1\n2\n3\n4\n5\n");
    assert_eq!(response.header("content-type"), Some("text/plain"));
    assert_eq!(response.header("content-length"), None);
    assert_eq!(
        client.get("/async").await.text(),
        "chunk 0;chunk 1;chunk 2;"
    );
}

#[tokio::test]
async fn a_stream_is_sent_chunked_over_http1() {
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("GET /numbers HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .await;
    let raw = String::from_utf8(conn.until_closed().await).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    assert!(!head.contains("content-length"), "{head}");
    assert!(body.starts_with("2\r\n1\n\r\n2\r\n2\n\r\n"), "{body:?}");
    assert!(body.ends_with("0\r\n\r\n"), "{body:?}");

    let (_, body) = fetch(&server, "/async", false).await;
    assert_eq!(body, "chunk 0;chunk 1;chunk 2;");
    server.shut_down().await;
}

#[tokio::test]
async fn a_stream_is_sent_as_data_frames_over_http2() {
    let server = Server::start(app()).await;
    let (head, body) = fetch(&server, "/numbers", true).await;
    assert_eq!(head.version, http::Version::HTTP_2);
    assert!(!head.headers.contains_key("content-length"));
    assert_eq!(body, "1\n2\n3\n4\n5\n");
    server.shut_down().await;
}

#[get("/slow")]
fn slow() -> Response {
    let ticks = stream::unfold(0, |n| async move {
        if n == 8 {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        Some((Ok::<_, std::io::Error>(format!("{n}")), n + 1))
    });
    Response::stream(ticks)
}

#[tokio::test]
async fn an_http2_stream_longer_than_the_idle_timeout_is_not_cut() {
    // An HTTP/2 connection with no request in flight for the header-read
    // timeout is closed (after one more): a response still streaming is in
    // flight.
    let app = App::new()
        .header_read_timeout(Duration::from_millis(150))
        .route(slow);
    let server = Server::start(app).await;
    let (_, body) = fetch(&server, "/slow", true).await;
    assert_eq!(body, "01234567");
    server.shut_down().await;
}

#[tokio::test]
async fn a_failing_stream_cuts_the_response_short() {
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("GET /broken HTTP/1.1\r\nHost: t\r\n\r\n").await;
    let raw = String::from_utf8(conn.until_closed().await).unwrap();
    assert!(raw.contains("\r\n\r\n7\r\npartial\r\n"), "{raw:?}");
    // No last chunk: the client can tell the body is incomplete.
    assert!(!raw.ends_with("0\r\n\r\n"), "{raw:?}");
    server.shut_down().await;
}

/// Counts what a stream produced and says when it was dropped.
struct Probe {
    produced: Arc<AtomicU64>,
    dropped: Arc<Mutex<Option<oneshot::Sender<()>>>>,
}

impl Drop for Probe {
    fn drop(&mut self) {
        if let Some(tell) = self.dropped.lock().unwrap().take() {
            let _ = tell.send(());
        }
    }
}

/// What `/endless` and `/quiet` share with the test.
struct Endless {
    pause: bool,
    produced: Arc<AtomicU64>,
    dropped: Arc<Mutex<Option<oneshot::Sender<()>>>>,
}

/// Streams 64 KiB chunks for ever, as fast as the connection takes them
/// (with `pause`: one chunk, then nothing, for ever).
#[get("/endless")]
fn endless(shared: &State<Endless>) -> Response {
    let probe = Probe {
        produced: Arc::clone(&shared.produced),
        dropped: Arc::clone(&shared.dropped),
    };
    let pause = shared.pause;
    let chunks = stream::unfold(probe, move |probe| async move {
        if pause && probe.produced.load(Ordering::SeqCst) > 0 {
            std::future::pending::<()>().await;
        }
        probe.produced.fetch_add(65_536, Ordering::SeqCst);
        Some((
            Ok::<_, std::io::Error>(Bytes::from(vec![b'x'; 65_536])),
            probe,
        ))
    });
    Response::stream(chunks)
}

#[get("/quiet")]
fn quiet() -> Sse {
    Sse::new(stream::pending()).keep_alive(Duration::from_millis(20))
}

/// An app serving `/endless`: what it produced, and when it was dropped.
fn endless_app(pause: bool) -> (App, Arc<AtomicU64>, oneshot::Receiver<()>) {
    let produced = Arc::new(AtomicU64::new(0));
    let (tell, dropped) = oneshot::channel();
    let app = App::new()
        .state(Endless {
            pause,
            produced: Arc::clone(&produced),
            dropped: Arc::new(Mutex::new(Some(tell))),
        })
        .routes(routes![endless, quiet]);
    (app, produced, dropped)
}

/// A connection to `server` that has sent `GET path`.
async fn open_get(server: &Server, path: &str) -> TcpStream {
    let mut socket = TcpStream::connect(server.addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n");
    socket.write_all(request.as_bytes()).await.unwrap();
    socket
}

/// Reads from `socket` until `at_least` more bytes arrived.
async fn read_some(socket: &mut TcpStream, at_least: usize) {
    let mut buf = vec![0; 65_536];
    let mut read = 0;
    while read < at_least {
        let n = tokio::time::timeout(PATIENCE, socket.read(&mut buf))
            .await
            .expect("the stream stopped")
            .unwrap();
        assert!(n > 0, "closed early");
        read += n;
    }
}

/// What `produced` settles at once it stops growing.
async fn settled(produced: &AtomicU64) -> u64 {
    let mut last = produced.load(Ordering::SeqCst);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = produced.load(Ordering::SeqCst);
        if now == last {
            return now;
        }
        assert!(tokio::time::Instant::now() < deadline, "never stopped");
        last = now;
    }
}

#[tokio::test]
async fn a_stream_waits_for_a_slow_client_and_stops_when_it_leaves() {
    let (app, produced, dropped) = endless_app(false);
    let server = Server::start(app).await;
    let mut socket = open_get(&server, "/endless").await;
    read_some(&mut socket, 1 << 20).await;
    // The client stops reading: the stream is not polled further once the
    // socket's buffers are full (without backpressure it would produce
    // gigabytes here).
    let stalled = settled(&produced).await;
    assert!(stalled < 64 << 20, "produced {stalled} bytes unread");
    // Reading again lets it go on (once what was buffered is read).
    while produced.load(Ordering::SeqCst) == stalled {
        read_some(&mut socket, 1 << 20).await;
    }
    drop(socket);
    tokio::time::timeout(PATIENCE, dropped)
        .await
        .expect("the stream outlived its client")
        .unwrap();
    server.shut_down().await;
}

#[tokio::test]
async fn a_waiting_stream_is_dropped_when_the_client_leaves() {
    let (app, produced, dropped) = endless_app(true);
    let server = Server::start(app).await;
    let mut socket = open_get(&server, "/endless").await;
    read_some(&mut socket, 65_536).await;
    drop(socket);
    tokio::time::timeout(PATIENCE, dropped)
        .await
        .expect("the stream outlived its client")
        .unwrap();
    assert_eq!(produced.load(Ordering::SeqCst), 65_536);
    server.shut_down().await;
}

#[tokio::test]
async fn head_never_polls_a_stream() {
    let (app, produced, _dropped) = endless_app(false);
    let server = Server::start(app).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("HEAD /endless HTTP/1.1\r\nHost: t\r\n\r\n").await;
    let head = conn.response(true).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), None);
    // The connection goes on with the next request: no body was sent.
    conn.send("HEAD /endless HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .await;
    assert_eq!(conn.response(true).await.status, 200);
    assert!(conn.until_closed().await.is_empty());
    assert_eq!(produced.load(Ordering::SeqCst), 0);
    server.shut_down().await;
}

#[get("/events")]
fn events(request: &Request) -> Sse {
    let after: u32 = last_event_id(request)
        .and_then(|id| id.parse().ok())
        .unwrap_or(0);
    let events =
        stream::iter(after + 1..=3).map(|n| Event::data(format!("n={n}")).id(n.to_string()));
    Sse::new(events)
}

#[tokio::test]
async fn server_sent_events_resume_after_the_last_event_id() {
    let client = app().test_client();
    let response = client.get("/events").await;
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    assert_eq!(response.header("cache-control"), Some("no-cache"));
    assert_eq!(
        response.text(),
        "id: 1\ndata: n=1\n\nid: 2\ndata: n=2\n\nid: 3\ndata: n=3\n\n"
    );
    let resumed = client.get("/events").header("Last-Event-ID", "2").await;
    assert_eq!(resumed.text(), "id: 3\ndata: n=3\n\n");
}

#[tokio::test]
async fn server_sent_events_send_keep_alive_comments_while_idle() {
    let (app, _, _) = endless_app(false);
    let server = Server::start(app).await;
    let mut socket = open_get(&server, "/quiet").await;
    let seen = until_keep_alive_comments(&mut socket, 2).await;
    let text = String::from_utf8_lossy(&seen);
    assert!(text.contains("content-type: text/event-stream"), "{text}");
    drop(socket);
    server.shut_down().await;
}

#[test]
fn events_are_written_field_by_field() {
    let event = Event::data("a\r\nb\rc")
        .event("update")
        .id("7")
        .retry(Duration::from_secs(3));
    assert_eq!(
        event.to_string(),
        "event: update\nid: 7\nretry: 3000\ndata: a\ndata: b\ndata: c\n\n"
    );
    assert_eq!(Event::comment("hi").to_string(), ": hi\n\n");
}

#[test]
#[should_panic(expected = "an event id can't hold a line break")]
fn an_event_id_with_a_line_break_is_refused() {
    let _ = Event::data("x").id("1\n2");
}

#[tokio::test]
async fn a_shutdown_ends_an_endless_stream_cleanly_without_waiting_for_its_timeout() {
    let (app, _, _) = endless_app(false);
    // Were the stream left to run, the server would wait this long.
    let mut server = Server::start(app.shutdown_timeout(Duration::from_secs(3600))).await;
    let mut socket = open_get(&server, "/quiet").await;
    let seen = until_keep_alive_comments(&mut socket, 1).await;
    server.signal();
    // The rest of the response, to its last chunk, then the close (the
    // keep-alive comments would go on for ever if the stream did).
    assert_ends_complete(&mut socket, seen).await;
    server.finished().await;
}
