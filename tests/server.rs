//! The server over a real socket: HTTP/1.1 keep-alive, HTTP/2 cleartext,
//! the banner and access log, panics, and the routing answers (HEAD,
//! OPTIONS, 404, 405, trailing-slash redirect) as a client sees them.
//! Limits and timeouts are in `server/limits.rs`, hostile clients in
//! `server/hostile.rs`, shutdown in `server/shutdown.rs` and (SIGTERM to a
//! real process) `server/sigterm.rs`, floods of connections in
//! `server/floods.rs`.

mod access_log;
mod floods;
mod hostile;
mod limits;
pub mod process;
mod shutdown;
mod sigterm;

use std::net::SocketAddr;
use std::process::Stdio;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use phial::prelude::*;
use phial::Method;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;

use crate::support::{Conn, Logs, Server, PATIENCE};

#[get("/")]
fn index() -> &'static str {
    "Hello, World!"
}

#[post("/echo")]
fn echo(request: &Request) -> String {
    format!("{} bytes", request.body().len())
}

#[get("/panic/sync")]
fn sync_panic() -> &'static str {
    panic!("sync handler gave up")
}

#[get("/panic/async")]
async fn async_panic() -> &'static str {
    tokio::task::yield_now().await;
    panic!("async handler gave up")
}

#[get("/projects/")]
fn projects() -> &'static str {
    "projects"
}

#[get("/about")]
fn about() -> &'static str {
    "about"
}

/// The app most socket tests serve.
fn app() -> App {
    App::new().routes(routes![
        index,
        echo,
        sync_panic,
        async_panic,
        projects,
        about
    ])
}

const GET_INDEX: &str = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

#[tokio::test]
async fn http1_keep_alive_serves_two_requests_on_one_connection() {
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    for _ in 0..2 {
        conn.send(GET_INDEX).await;
        let response = conn.response(false).await;
        assert_eq!(response.status, 200);
        assert_eq!(response.text(), "Hello, World!");
        assert_eq!(response.header("connection"), None);
    }
    conn.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello")
        .await;
    assert_eq!(conn.response(false).await.text(), "5 bytes");
    server.shut_down().await;
}

#[tokio::test]
async fn http2_prior_knowledge_is_served() {
    let server = Server::start(app()).await;
    let client = Client::builder(TokioExecutor::new())
        .http2_only(true)
        .build_http::<Empty<Bytes>>();
    for (path, text) in [("/", "Hello, World!"), ("/about", "about")] {
        let response = client.get(server.url(path).parse().unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.version(), http::Version::HTTP_2);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(body, text);
    }
    drop(client);
    server.shut_down().await;
}

#[tokio::test]
async fn a_hyper_client_gets_the_page_over_http1() {
    let server = Server::start(app()).await;
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let response = client.get(server.url("/").parse().unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.version(), http::Version::HTTP_11);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, "Hello, World!");
    drop(client);
    server.shut_down().await;
}

#[tokio::test]
async fn each_request_gets_an_access_log_line() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("GET /?q=1 HTTP/1.1\r\nHost: test\r\n\r\n").await;
    assert_eq!(conn.response(false).await.status, 200);
    conn.send("DELETE /nowhere HTTP/1.1\r\nHost: test\r\n\r\n")
        .await;
    assert_eq!(conn.response(false).await.status, 404);

    let line = logs.wait_for("\"GET /?q=1 HTTP/1.1\" 200").await;
    assert!(line.contains(" INFO phial::access: 127.0.0.1:"), "{line}");
    assert!(line.ends_with("ms"), "no duration in {line}");
    logs.wait_for("\"DELETE /nowhere HTTP/1.1\" 404").await;
    assert_eq!(logs.lines_with("phial::access").len(), 2);
    server.shut_down().await;
}

#[tokio::test]
async fn panicking_handlers_answer_500_and_the_connection_keeps_serving() {
    let (logs, _guard) = Logs::capture();
    let app = app();
    let server = Server::start(app.clone()).await;
    let mut conn = Conn::open(server.addr).await;
    for (path, name, message) in [
        ("/panic/sync", "sync_panic", "sync handler gave up"),
        ("/panic/async", "async_panic", "async handler gave up"),
    ] {
        conn.send(format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n"))
            .await;
        let response = conn.response(false).await;
        assert_eq!(response.status, 500);
        assert!(response.text().contains("<h1>Internal Server Error</h1>"));
        let line = logs.wait_for(&format!("`{name}` panicked")).await;
        assert!(line.contains("ERROR"), "{line}");
        assert!(line.contains(message), "{line}");

        conn.send(GET_INDEX).await;
        assert_eq!(conn.response(false).await.text(), "Hello, World!");
    }
    assert_eq!(app.panic_count(), 2);
    server.shut_down().await;
}

#[tokio::test]
async fn head_answers_the_get_length_without_a_body() {
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n").await;
    let head = conn.response(true).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("13"));
    // Had the HEAD answer carried a body, it would sit in front of this
    // response's status line.
    conn.send("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        .await;
    let get = conn.response(false).await;
    assert_eq!(get.status, 200);
    assert_eq!(get.text(), "Hello, World!");
    assert!(conn.until_closed().await.is_empty());
    server.shut_down().await;
}

#[tokio::test]
async fn options_allow_405_and_404_pages() {
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;

    conn.send("OPTIONS / HTTP/1.1\r\nHost: test\r\n\r\n").await;
    let options = conn.response(false).await;
    assert_eq!(options.status, 200);
    assert_eq!(options.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert!(options.body.is_empty());

    conn.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n")
        .await;
    let wrong_method = conn.response(false).await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert!(wrong_method
        .text()
        .contains("<title>405 Method Not Allowed</title>"));

    conn.send("GET /nowhere HTTP/1.1\r\nHost: test\r\n\r\n")
        .await;
    let missing = conn.response(false).await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(missing.text().contains("<h1>Not Found</h1>"));

    conn.send(GET_INDEX).await;
    assert_eq!(conn.response(false).await.status, 200);
    server.shut_down().await;
}

#[tokio::test]
async fn trailing_slash_redirects_like_flask() {
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    let redirect = conn.get("/projects?page=2").await;
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/projects/?page=2"));
    assert_eq!(conn.get("/projects/").await.text(), "projects");
    assert_eq!(conn.get("/about/").await.status, 404);
    assert_eq!(conn.get("/about").await.text(), "about");
    server.shut_down().await;
}

/// Starts the seed example on a free port with `RUST_LOG=info`; returns it
/// and the address its banner names.
async fn spawn_example() -> (Child, SocketAddr) {
    spawn_example_logging("info").await
}

/// As [`spawn_example`], with `RUST_LOG=rust_log`.
async fn spawn_example_logging(rust_log: &str) -> (Child, SocketAddr) {
    let mut child = tokio::process::Command::new(process::example_binary("cookies"))
        .arg("127.0.0.1:0")
        .env("RUST_LOG", rust_log)
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    // Flask's banner: the app's name and debug mode, then the address.
    let (addr, before) = crate::support::read_banner(&mut stderr).await;
    assert_eq!(
        before,
        [" * Serving phial app 'cookies'", " * Debug mode: off"],
        "the banner as Flask's"
    );
    (child, addr)
}

/// Sends `signal` (`"TERM"`, `"INT"`) and returns the exit code.
#[cfg(unix)]
async fn exit_code_after(mut child: Child, signal: &str) -> Option<i32> {
    let pid = child.id().unwrap().to_string();
    let sent = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = tokio::time::timeout(PATIENCE, child.wait())
        .await
        .unwrap_or_else(|_| panic!("still running after SIG{signal}"))
        .unwrap();
    status.code()
}

#[cfg(unix)]
#[tokio::test]
async fn run_prints_a_banner_logs_requests_and_exits_0_on_sigterm() {
    let (mut child, addr) = spawn_example().await;
    let mut conn = Conn::open(addr).await;
    conn.send(GET_INDEX).await;
    assert_eq!(conn.response(false).await.text(), "Hello, World!");
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let access = loop {
        let line = tokio::time::timeout(PATIENCE, stdout.next_line())
            .await
            .expect("no access log line")
            .unwrap()
            .expect("stdout closed");
        if line.contains("phial::access") {
            break line;
        }
    };
    assert!(access.contains("\"GET / HTTP/1.1\" 200"), "{access:?}");
    assert!(
        !access.contains('\x1b'),
        "colour codes in a pipe: {access:?}"
    );
    // The idle keep-alive connection doesn't hold up the exit.
    assert_eq!(exit_code_after(child, "TERM").await, Some(0));
}

/// The access log lines the seed example prints for one `GET /` under
/// `RUST_LOG=rust_log`, read to the end after SIGTERM.
#[cfg(unix)]
async fn access_lines_with(rust_log: &str) -> Vec<String> {
    let (mut child, addr) = spawn_example_logging(rust_log).await;
    assert_eq!(
        Conn::open(addr).await.get("/").await.text(),
        "Hello, World!"
    );
    let mut stdout = child.stdout.take().unwrap();
    assert_eq!(exit_code_after(child, "TERM").await, Some(0));
    let mut output = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut stdout, &mut output)
        .await
        .unwrap();
    output
        .lines()
        .filter(|line| line.contains("phial::access"))
        .map(str::to_owned)
        .collect()
}

#[cfg(unix)]
#[tokio::test]
async fn rust_log_filters_the_log_by_level_and_target() {
    assert_eq!(access_lines_with("warn").await, Vec::<String>::new());
    let lines = access_lines_with("warn,phial::access=info").await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("\"GET / HTTP/1.1\" 200"), "{lines:?}");
    // Directives that don't parse leave the default, INFO.
    assert_eq!(access_lines_with("=&!").await.len(), 1);
}

#[cfg(unix)]
#[tokio::test]
async fn run_exits_0_on_ctrl_c() {
    let (child, addr) = spawn_example().await;
    assert_eq!(
        Conn::open(addr).await.get("/user").await.text(),
        "Hello, Guest!"
    );
    assert_eq!(exit_code_after(child, "INT").await, Some(0));
}

#[tokio::test]
async fn methods_no_route_names_get_405_and_the_connection_stays() {
    // Methods hyper parses but no route names still get a page, not a hang.
    let server = Server::start(app()).await;
    let mut conn = Conn::open(server.addr).await;
    for method in [Method::PUT, Method::PATCH, Method::TRACE] {
        conn.send(format!(
            "{method} / HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n"
        ))
        .await;
        assert_eq!(conn.response(false).await.status, 405);
    }
    conn.send("BREW / HTTP/1.1\r\nHost: test\r\n\r\n").await;
    assert_eq!(conn.response(false).await.status, 405);
    server.shut_down().await;
}
