//! Hostile clients against a real bound server, over a raw `TcpStream`:
//! odd and oversized cookies, an oversized request target, request
//! smuggling, pipelining, a query of 10,000 parameters, a body dripped a
//! byte at a time, a client that never reads its response, and panics in
//! hooks, error handlers and templates. Each case asserts the answer a
//! client gets, and that the server goes on serving.
//!
//! Cases pinned elsewhere are not repeated here: a NUL in a header and
//! duplicate differing `Content-Length` (400), 101 headers (431), the 413s
//! (with `Content-Length`, chunked, `Expect: 100-continue`), a silent client
//! and headers dripped byte by byte are in `server/limits.rs`; invalid UTF-8
//! in a cookie value and two `Cookie` lines in `cookies/socket.rs`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use phial::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{exchange, Conn, Logs, Server, PATIENCE};

/// The limits' timeouts here: short, so that the tests are.
const TIMEOUT: Duration = Duration::from_millis(300);
/// Lower bound for "closed by the timeout, not at once".
const AT_LEAST: Duration = Duration::from_millis(250);

#[get("/cookies")]
fn cookie_count(request: &Request) -> String {
    format!("{} cookies", request.cookies.len())
}

#[get("/args")]
fn arg_count(request: &Request) -> String {
    format!("{} args", request.args.len())
}

#[post("/ignore")]
fn ignore_body() -> &'static str {
    "ignored"
}

#[get("/hit")]
fn hit() -> &'static str {
    "hit"
}

/// 50 MiB: far more than the socket buffers of both ends hold.
const BIG: usize = 50 * 1024 * 1024;

#[get("/big")]
fn big() -> Vec<u8> {
    vec![b'x'; BIG]
}

/// The paths of the requests that reached the app (a before-request hook
/// sees every one), in order.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<String>>>);

impl Seen {
    fn paths(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// The socket tests' app, plus this file's routes, recording what it sees.
fn app() -> (App, Seen) {
    let seen = Seen::default();
    let record = seen.clone();
    let app = super::app()
        .routes(routes![cookie_count, arg_count, ignore_body, hit, big])
        .before_request(move |request| -> Option<Response> {
            record.0.lock().unwrap().push(request.path().to_owned());
            None
        });
    (app, seen)
}

/// The status line of a raw answer.
fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or("")
}

#[tokio::test]
async fn an_empty_cookie_header_is_no_cookies() {
    let (app, _) = app();
    let server = Server::start(app).await;
    let mut conn = Conn::open(server.addr).await;
    for header in ["Cookie:", "Cookie: ", "Cookie: ;;; ", "Cookie: ="] {
        conn.send(format!(
            "GET /cookies HTTP/1.1\r\nHost: test\r\n{header}\r\n\r\n"
        ))
        .await;
        let response = conn.response(false).await;
        assert_eq!(response.status, 200, "{header:?}");
        assert_eq!(response.text(), "0 cookies", "{header:?}");
    }
    server.shut_down().await;
}

#[tokio::test]
async fn ten_thousand_cookie_pairs_are_read_up_to_the_cap() {
    let (app, _) = app();
    let server = Server::start(app).await;
    // 10,000 distinct pairs in about 60 KB: under the 80 KiB header cap.
    let pairs: Vec<String> = (0..10_000).map(|n| format!("{n}=1")).collect();
    let header = pairs.join(";");
    assert!(header.len() < 80 * 1024);
    let mut conn = Conn::open(server.addr).await;
    conn.send(format!(
        "GET /cookies HTTP/1.1\r\nHost: test\r\nCookie: {header}\r\n\r\n"
    ))
    .await;
    let response = conn.response(false).await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.text(),
        format!("{} cookies", phial::cookies::MAX_PAIRS)
    );
    assert_eq!(conn.get("/").await.text(), "Hello, World!");
    server.shut_down().await;
}

/// hyper answers an oversized head itself, with no body, and closes.
fn assert_bodiless_refusal(answer: &str, status: &str) {
    assert_eq!(status_line(answer), status, "{answer:?}");
    let (head, body) = answer.split_once("\r\n\r\n").expect("no end of head");
    assert!(head.contains("content-length: 0"), "{head:?}");
    assert!(body.is_empty(), "{body:?}");
}

#[tokio::test]
async fn a_100_kb_cookie_header_is_answered_431_with_the_default_limits() {
    let (logs, _guard) = Logs::capture();
    let (app, seen) = app();
    let server = Server::start(app).await;
    let cookie = format!("big={}", "a".repeat(100 * 1024));
    let answer = exchange(
        server.addr,
        format!("GET /cookies HTTP/1.1\r\nHost: test\r\nCookie: {cookie}\r\n\r\n"),
    )
    .await;
    assert_bodiless_refusal(&answer, "HTTP/1.1 431 Request Header Fields Too Large");
    logs.wait_for("431, request head too large").await;
    assert!(seen.paths().is_empty());
    assert_eq!(Conn::open(server.addr).await.get("/").await.status, 200);
    server.shut_down().await;
}

#[tokio::test]
async fn a_70_kb_request_target_is_answered_414() {
    let (logs, _guard) = Logs::capture();
    let (app, seen) = app();
    let server = Server::start(app).await;
    let target = format!("/args?q={}", "a".repeat(70 * 1024));
    let answer = exchange(
        server.addr,
        format!("GET {target} HTTP/1.1\r\nHost: test\r\n\r\n"),
    )
    .await;
    assert_bodiless_refusal(&answer, "HTTP/1.1 414 URI Too Long");
    logs.wait_for("414, request head too large").await;
    assert!(seen.paths().is_empty());
    assert_eq!(Conn::open(server.addr).await.get("/").await.status, 200);
    server.shut_down().await;
}

#[tokio::test]
async fn a_request_smuggled_after_a_chunked_body_never_runs() {
    let (app, seen) = app();
    let server = Server::start(app).await;
    // CL.TE: a front end going by Content-Length would forward all of this
    // as one request; a back end going by the chunked encoding finds a
    // second request after the empty body. hyper goes by the encoding, so
    // it must close the connection after the first answer.
    let smuggled = "GET /hit HTTP/1.1\r\nHost: test\r\n\r\n";
    let body = format!("0\r\n\r\n{smuggled}");
    for headers in [
        format!(
            "Content-Length: {}\r\nTransfer-Encoding: chunked",
            body.len()
        ),
        format!(
            "Transfer-Encoding: chunked\r\nContent-Length: {}",
            body.len()
        ),
    ] {
        let answer = exchange(
            server.addr,
            format!("POST /echo HTTP/1.1\r\nHost: test\r\n{headers}\r\n\r\n{body}"),
        )
        .await;
        assert_eq!(status_line(&answer), "HTTP/1.1 200 OK", "{answer:?}");
        assert!(answer.ends_with("\r\n\r\n0 bytes"), "{answer:?}");
        assert_eq!(answer.matches("HTTP/1.1").count(), 1, "{answer:?}");
    }
    // An encoding that is not chunked can't be framed at all.
    let answer = exchange(
        server.addr,
        format!(
            "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: {}\r\n\
             Transfer-Encoding: xchunked\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert_eq!(
        status_line(&answer),
        "HTTP/1.1 400 Bad Request",
        "{answer:?}"
    );
    assert_eq!(seen.paths(), ["/echo", "/echo"]);
    server.shut_down().await;
}

#[tokio::test]
async fn a_request_hidden_in_a_chunked_body_is_only_body() {
    let (app, seen) = app();
    let server = Server::start(app).await;
    // TE.CL: a back end going by Content-Length would read 4 bytes of body
    // and then the chunk's data as a request.
    let smuggled = "GET /hit HTTP/1.1\r\nHost: test\r\n\r\n";
    let request = format!(
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\
         Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{smuggled}\r\n0\r\n\r\n",
        smuggled.len()
    );
    let answer = exchange(server.addr, request).await;
    assert_eq!(status_line(&answer), "HTTP/1.1 200 OK", "{answer:?}");
    assert!(
        answer.ends_with(&format!("\r\n\r\n{} bytes", smuggled.len())),
        "{answer:?}"
    );
    assert_eq!(seen.paths(), ["/echo"]);
    server.shut_down().await;
}

#[tokio::test]
async fn a_pipelined_get_after_a_body_the_handler_ignores_is_parsed_as_sent() {
    let (app, seen) = app();
    let server = Server::start(app).await;
    let mut conn = Conn::open(server.addr).await;
    // Both requests in one write; the first body looks like a request.
    let decoy = "GET /hit HTTP/1.1\r\nHost: test\r\n\r\n";
    conn.send(format!(
        "POST /ignore HTTP/1.1\r\nHost: test\r\nContent-Length: {}\r\n\r\n{decoy}\
         POST /ignore HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x}\r\n{decoy}\r\n0\r\n\r\n\
         GET /about HTTP/1.1\r\nHost: test\r\n\r\n",
        decoy.len(),
        decoy.len()
    ))
    .await;
    assert_eq!(conn.response(false).await.text(), "ignored");
    assert_eq!(conn.response(false).await.text(), "ignored");
    let about = conn.response(false).await;
    assert_eq!(about.status, 200);
    assert_eq!(about.text(), "about");
    assert_eq!(seen.paths(), ["/ignore", "/ignore", "/about"]);
    server.shut_down().await;
}

#[tokio::test]
async fn a_query_over_the_parameter_limit_is_answered_400() {
    let (logs, _guard) = Logs::capture();
    let (app, seen) = app();
    let server = Server::start(app).await;
    let query = |count: usize| vec!["a=1"; count].join("&");
    let mut conn = Conn::open(server.addr).await;
    assert_eq!(
        conn.get(&format!("/args?{}", query(1000))).await.text(),
        "1000 args"
    );
    let refused = conn.get(&format!("/args?{}", query(10_000))).await;
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("<h1>Bad Request</h1>"));
    logs.wait_for("more parameters than App::max_query_params allows")
        .await;
    // Refused before any hook: the app saw only the first request.
    assert_eq!(seen.paths(), ["/args"]);
    // The request was read whole: the connection goes on.
    assert_eq!(conn.get("/").await.text(), "Hello, World!");
    server.shut_down().await;

    let (strict, _) = self::app();
    let server = Server::start(strict.max_query_params(3)).await;
    let mut conn = Conn::open(server.addr).await;
    assert_eq!(conn.get("/args?a&b&&c").await.text(), "3 args");
    assert_eq!(conn.get("/args?a&b&c&d").await.status, 400);
    // The refused request has its access line, naming it.
    logs.wait_for("\"GET /args?a&b&c&d HTTP/1.1\" 400").await;
    server.shut_down().await;
}

#[tokio::test]
async fn a_body_dripped_byte_by_byte_is_cut_off_at_the_body_deadline() {
    let (logs, _guard) = Logs::capture();
    let (app, _) = app();
    let server = Server::start(app.body_read_timeout(TIMEOUT)).await;
    let stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let started = Instant::now();
    writer
        .write_all(b"POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n")
        .await
        .unwrap();
    // A byte every 50 ms: each read comes well within the timeout, the
    // whole body (5 s) never does.
    let drip = tokio::spawn(async move {
        for _ in 0..99 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if writer.write_all(b"x").await.is_err() {
                break;
            }
        }
    });
    let mut other = Conn::open(server.addr).await;
    assert_eq!(other.get("/").await.status, 200);

    let mut answer = Vec::new();
    let read = tokio::time::timeout(PATIENCE, reader.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(read.is_ok(), "still open after {:?}", started.elapsed());
    assert_eq!(
        status_line(&answer),
        "HTTP/1.1 408 Request Timeout",
        "{answer:?}"
    );
    let elapsed = started.elapsed();
    assert!(elapsed >= AT_LEAST, "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    logs.wait_for("408, body not received within 300ms").await;
    drip.abort();
    server.shut_down().await;
}

#[tokio::test]
async fn a_client_that_never_reads_its_response_is_closed_at_the_write_timeout() {
    let (logs, _guard) = Logs::capture();
    let (app, _) = app();
    let server = Server::start(app.write_timeout(TIMEOUT)).await;
    let mut stuck = Conn::open(server.addr).await;
    let started = Instant::now();
    stuck.send("GET /big HTTP/1.1\r\nHost: test\r\n\r\n").await;

    // The server keeps serving others meanwhile.
    let mut other = Conn::open(server.addr).await;
    assert_eq!(other.get("/").await.text(), "Hello, World!");

    logs.wait_for("closed, the client read none of the response for 300ms")
        .await;
    assert!(started.elapsed() >= AT_LEAST);
    // What the socket buffers held arrives, then the end: far from the
    // whole response.
    let received = stuck.until_closed().await;
    assert!(received.starts_with(b"HTTP/1.1 200 OK"));
    assert!(received.len() < BIG, "{} bytes", received.len());
    assert_eq!(other.get("/about").await.text(), "about");
    server.shut_down().await;
}

#[tokio::test]
async fn a_reader_that_keeps_up_gets_the_whole_large_response() {
    let (app, _) = app();
    let server = Server::start(app.write_timeout(TIMEOUT)).await;
    let mut conn = Conn::open(server.addr).await;
    let response = conn.get("/big").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.body.len(), BIG);
    server.shut_down().await;
}

/// A template that calls the `boom` function its context passes in.
fn template_folder() -> std::path::PathBuf {
    let folder = std::env::temp_dir().join(format!("phial-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("boom.html"), "<p>{{ boom() }}</p>").unwrap();
    std::fs::write(folder.join("fine.html"), "<p>{{ word }}</p>").unwrap();
    folder
}

#[get("/template/<what>")]
fn template(what: &str) -> Response {
    if what == "boom" {
        let boom =
            minijinja::Value::from_function(|| -> String { panic!("a template function gave up") });
        render_template("boom.html", context! { boom })
    } else {
        render_template("fine.html", context! { word => what })
    }
}

#[tokio::test]
async fn panics_in_hooks_error_handlers_and_templates_are_500s_on_a_live_connection() {
    let (logs, _guard) = Logs::capture();
    let app = super::app()
        .route(template)
        .template_folder(template_folder())
        .before_request(|request| -> Option<Response> {
            if request.path() == "/about" && request.args.contains("before") {
                panic!("before hook gave up")
            }
            None
        })
        .after_request(|request, _response| {
            if request.path() == "/about" && request.args.contains("after") {
                panic!("after hook gave up")
            }
        })
        .teardown_request(|request, _panic| {
            if request.args.contains("teardown") {
                panic!("teardown hook gave up")
            }
        })
        .errorhandler(404, |_request, _status| -> &'static str {
            panic!("404 page gave up")
        })
        .errorhandler(500, |_request, _status| "our own 500 page");
    let server = Server::start(app.clone()).await;
    let mut conn = Conn::open(server.addr).await;
    let cases = [
        ("/about?before", "a before_request hook panicked"),
        ("/about?after", "an after_request hook panicked"),
        ("/nowhere", "an error handler panicked"),
        ("/template/boom", "handler `template` panicked"),
        ("/panic/sync", "handler `sync_panic` panicked"),
    ];
    for (count, (target, logged)) in (1..).zip(cases) {
        let response = conn.get(target).await;
        assert_eq!(response.status, 500, "{target}");
        // The app's 500 page, except where it was the 404 page that
        // panicked: then the plain one.
        if target == "/nowhere" {
            assert!(response.text().contains("<h1>Internal Server Error</h1>"));
        } else {
            assert_eq!(response.text(), "our own 500 page", "{target}");
        }
        logs.wait_for(logged).await;
        assert_eq!(app.panic_count(), count, "{target}");
        // Same connection, next request.
        assert_eq!(conn.get("/template/fine").await.text(), "<p>fine</p>");
    }
    // A panicking teardown hook can't change the answer, but is counted.
    assert_eq!(conn.get("/about?teardown").await.text(), "about");
    logs.wait_for("a teardown_request hook panicked").await;
    assert_eq!(app.panic_count(), 6);
    server.shut_down().await;
}

#[tokio::test]
async fn an_http2_client_that_never_reads_its_response_is_closed() {
    use bytes::Bytes;
    use http_body_util::Empty;
    use hyper_util::rt::{TokioExecutor, TokioIo};

    // HTTP/2 flow control stops the server's writes before the socket
    // fills, so the write timeout never sees a stalled write: the stream
    // waits for window the client never gives. The handler has answered,
    // so the connection counts as idle and is closed by the idle rule
    // (GOAWAY after the header-read timeout, dropped one timeout later).
    let (app, _) = app();
    let server = Server::start(app.header_read_timeout(TIMEOUT)).await;
    let stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .unwrap();
    let connection = tokio::spawn(connection);
    let request = http::Request::get(server.url("/big"))
        .body(Empty::<Bytes>::new())
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let started = Instant::now();

    let mut other = Conn::open(server.addr).await;
    assert_eq!(other.get("/").await.text(), "Hello, World!");

    // The body is never read; the server ends the connection.
    let ended = tokio::time::timeout(PATIENCE, connection).await;
    assert!(ended.is_ok(), "the stalled HTTP/2 connection stayed open");
    assert!(started.elapsed() >= AT_LEAST);
    drop(response);
    server.shut_down().await;
}
