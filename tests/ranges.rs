//! Files of any size: sent in chunks from disk, `Range` and `If-Range`
//! answered with 206 (one range, or `multipart/byteranges`) or 416, over
//! the test client and a real socket.

use std::path::PathBuf;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use phial::prelude::*;

use crate::support::{Conn, Server};

/// `hello.txt` (12 bytes) and `big.bin` (3 MiB + 5 bytes of a pattern, so
/// every offset's byte is known) in a fresh static folder.
fn fixture(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("phial-ranges-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("hello.txt"), "hello static").unwrap();
    std::fs::write(root.join("big.bin"), big()).unwrap();
    root
}

fn big() -> Vec<u8> {
    (0..(3 << 20) + 5).map(|i: u32| (i % 251) as u8).collect()
}

fn app(root: &std::path::Path) -> App {
    App::new().static_folder(root)
}

#[tokio::test]
async fn a_file_says_it_accepts_ranges_and_sends_one() {
    let root = fixture("one");
    let client = app(&root).test_client();
    let whole = client.get("/static/hello.txt").await;
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(whole.header("content-length"), Some("12"));

    for (range, body, content_range) in [
        ("bytes=0-4", "hello", "bytes 0-4/12"),
        ("bytes=6-", "static", "bytes 6-11/12"),
        ("bytes=-3", "tic", "bytes 9-11/12"),
        ("bytes=10-100", "ic", "bytes 10-11/12"),
    ] {
        let response = client.get("/static/hello.txt").header("Range", range).await;
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(response.text(), body, "{range}");
        assert_eq!(response.header("content-range"), Some(content_range));
        assert_eq!(
            response.header("content-length"),
            Some(body.len().to_string().as_str())
        );
        assert_eq!(
            response.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
    }
}

#[tokio::test]
async fn several_ranges_are_sent_as_multipart_byteranges() {
    let root = fixture("multi");
    let client = app(&root).test_client();
    let response = client
        .get("/static/hello.txt")
        .header("Range", "bytes=0-1, 6-8")
        .await;
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    let content_type = response.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/byteranges; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    assert_eq!(response.header("content-range"), None);
    let expected = format!(
        "--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/12\r\n\r\nhe\
         \r\n--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 6-8/12\r\n\r\nsta\
         \r\n--{boundary}--\r\n"
    );
    assert_eq!(response.text(), expected);
    assert_eq!(
        response.header("content-length"),
        Some(expected.len().to_string().as_str())
    );
}

#[tokio::test]
async fn a_range_outside_the_file_is_416_and_bad_syntax_is_ignored() {
    let root = fixture("416");
    let client = app(&root).test_client();
    for range in ["bytes=12-20", "bytes=100-", "bytes=0-1,0-2,0-3"] {
        let response = client.get("/static/hello.txt").header("Range", range).await;
        assert_eq!(
            response.status(),
            StatusCode::RANGE_NOT_SATISFIABLE,
            "{range}"
        );
        assert_eq!(response.header("content-range"), Some("bytes */12"));
    }
    for range in ["bytes=abc", "items=0-1", "bytes=5-2"] {
        let response = client.get("/static/hello.txt").header("Range", range).await;
        assert_eq!(response.status(), StatusCode::OK, "{range}");
        assert_eq!(response.text(), "hello static");
    }
}

#[tokio::test]
async fn if_range_sends_the_range_only_for_the_current_version() {
    let root = fixture("if-range");
    let client = app(&root).test_client();
    let first = client.get("/static/hello.txt").await;
    let etag = first.header("etag").unwrap().to_owned();
    let modified = first.header("last-modified").unwrap().to_owned();
    let ranged = |if_range: String| {
        let client = &client;
        async move {
            client
                .get("/static/hello.txt")
                .header("Range", "bytes=0-4")
                .header("If-Range", &if_range)
                .await
        }
    };
    for current in [etag.clone(), modified] {
        let response = ranged(current.clone()).await;
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT, "{current}");
        assert_eq!(response.text(), "hello");
    }
    for stale in [
        "\"other\"".to_owned(),
        format!("W/{etag}"),
        "Thu, 01 Jan 1970 00:00:00 GMT".to_owned(),
        "not a date".to_owned(),
    ] {
        let response = ranged(stale.clone()).await;
        assert_eq!(response.status(), StatusCode::OK, "{stale}");
        assert_eq!(response.text(), "hello static");
    }
    // A current copy is 304, range or not.
    let response = client
        .get("/static/hello.txt")
        .header("Range", "bytes=0-4")
        .header("If-None-Match", &etag)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert!(response.bytes().is_empty());
}

#[tokio::test]
async fn head_with_a_range_announces_it_without_a_body() {
    let root = fixture("head");
    let client = app(&root).test_client();
    let response = client
        .head("/static/big.bin")
        .header("Range", "bytes=100-199")
        .await;
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(response.header("content-length"), Some("100"));
    assert_eq!(
        response.header("content-range"),
        Some("bytes 100-199/3145733")
    );
    assert!(response.bytes().is_empty());
}

#[get("/download")]
async fn download() -> Response {
    let root = std::env::temp_dir().join(format!("phial-ranges-socket-{}", std::process::id()));
    phial::send_file(root.join("big.bin")).await
}

#[tokio::test]
async fn a_large_file_and_its_ranges_over_a_socket() {
    let root = fixture("socket");
    let server = Server::start(app(&root).route(download)).await;
    let big = big();
    let mut conn = Conn::open(server.addr).await;
    for path in ["/static/big.bin", "/download"] {
        let whole = conn.get(path).await;
        assert_eq!(whole.status, 200);
        assert_eq!(whole.header("accept-ranges"), Some("bytes"));
        assert_eq!(whole.header("content-length"), Some("3145733"));
        assert!(whole.body == big, "{path}: the file's bytes");
    }
    // A range across chunk boundaries, far into the file.
    conn.send("GET /download HTTP/1.1\r\nHost: t\r\nRange: bytes=100000-1300000\r\n\r\n")
        .await;
    let part = conn.response(false).await;
    assert_eq!(part.status, 206);
    assert_eq!(
        part.header("content-range"),
        Some("bytes 100000-1300000/3145733")
    );
    assert!(part.body == big[100_000..=1_300_000]);

    conn.send("HEAD /static/big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
        .await;
    let head = conn.response(true).await;
    assert_eq!(head.header("content-length"), Some("3145733"));
    conn.send("GET /static/big.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=5-9\r\n\r\n")
        .await;
    assert_eq!(conn.response(false).await.body, &big[5..10]);

    // Several ranges, read by hyper's HTTP/2 client.
    let client = Client::builder(TokioExecutor::new())
        .http2_only(true)
        .build_http::<Empty<Bytes>>();
    let request = http::Request::get(server.url("/static/big.bin"))
        .header("Range", "bytes=0-2,3000000-3000002")
        .body(Empty::new())
        .unwrap();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.contains("Content-Range: bytes 0-2/3145733\r\n\r\n"),
        "{text}"
    );
    assert!(text.contains("Content-Range: bytes 3000000-3000002/3145733\r\n\r\n"));
    let tail = [big[3_000_000], big[3_000_001], big[3_000_002]];
    assert!(body.windows(3).any(|w| w == tail));
    drop(client);
    server.shut_down().await;
}

#[get("/shrinking")]
async fn shrinking() -> Response {
    let path = std::env::temp_dir().join(format!("phial-ranges-shrink-{}/f", std::process::id()));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, vec![b'a'; 200_000]).unwrap();
    let response = phial::send_file(&path).await;
    // The file shrinks after its length was announced.
    std::fs::write(&path, "short").unwrap();
    response
}

#[tokio::test]
async fn a_file_that_shrinks_while_sent_cuts_the_response_short() {
    let server = Server::start(App::new().route(shrinking)).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("GET /shrinking HTTP/1.1\r\nHost: t\r\n\r\n")
        .await;
    // The connection is closed: before the head was written, or with
    // fewer bytes than announced.
    let raw = conn.until_closed().await;
    let text = String::from_utf8_lossy(&raw);
    if let Some(end) = text.find("\r\n\r\n") {
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        assert!(text.contains("content-length: 200000"), "{text}");
        assert!(
            raw.len() - (end + 4) < 200_000,
            "a body as long as announced"
        );
    }
    // The server goes on serving (what the file holds when it is read).
    let mut conn = Conn::open(server.addr).await;
    conn.send("GET /shrinking HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n\r\n")
        .await;
    assert_eq!(conn.response(false).await.text(), "sh");
    server.shut_down().await;
}
