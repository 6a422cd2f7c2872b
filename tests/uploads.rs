//! Uploads spooled to disk: multipart file parts over the spool threshold
//! go to a temporary file while the request streams in, and the file is
//! gone when the request ends, whatever happened. Through the test client
//! and a real socket (chunked, over the limit, a client gone mid-upload).

use std::path::{Path, PathBuf};

use phial::prelude::*;

use crate::support::{Conn, Server, PATIENCE};

const BOUNDARY: &str = "XyZphialSpoolBoundary";

/// A fresh, empty spool folder for one test, removed when dropped.
fn spool_dir(test: &str) -> Folder {
    let dir = std::env::temp_dir().join(format!("phial-spool-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Folder(dir)
}

struct Folder(PathBuf);

impl std::ops::Deref for Folder {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The files in `dir`.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect()
}

/// Waits (up to [`PATIENCE`]) until `dir` holds `count` files.
async fn until_files(dir: &Path, count: usize) {
    let waiting = async {
        while files_in(dir).len() != count {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(PATIENCE, waiting)
        .await
        .unwrap_or_else(|_| panic!("{dir:?} holds {:?}, not {count} files", files_in(dir)));
}

/// `len` bytes that are not all alike (CR, LF and `-` among them), so
/// that a byte lost or moved shows.
fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    crate::support::multipart_body(BOUNDARY, "application/octet-stream", parts)
}

fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// A checksum of `bytes` (FNV-1a), so handlers answer something short.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Each file: its name, size, where it is (`disk` in which folder, or
/// `memory`), the checksum of its bytes read both ways; then the title
/// field and the body's length.
#[post("/describe")]
async fn describe(request: &Request) -> Result<String, phial::Error> {
    let mut lines = Vec::new();
    for file in request.files.iter() {
        let place = match file.path() {
            Some(path) => {
                assert!(
                    path.exists(),
                    "a spooled file is on disk while the handler runs"
                );
                format!("disk in {}", path.parent().unwrap().display())
            }
            None => "memory".to_owned(),
        };
        let read = file.read().await?;
        assert_eq!(&read, file.bytes(), "read() and bytes() agree");
        lines.push(format!(
            "{} {} {place} {:x}",
            file.name(),
            file.len(),
            checksum(&read)
        ));
    }
    lines.push(format!("title={}", request.form.get("title", "-")));
    lines.push(format!("body={}", request.body().len()));
    Ok(lines.join("\n"))
}

/// Saves the file `file` where the query's `to` says, then says where the
/// file is.
#[post("/save")]
async fn save(request: &Request) -> Result<String, phial::Error> {
    let file = request.files.get("file").expect("a file part");
    let to = PathBuf::from(request.args.get("to", String::new()));
    file.save(&to).await?;
    let at = file.path();
    // A second save copies it from where the first one moved it.
    if let Some(also) = request.args.get::<Option<&str>>("also", None) {
        file.save(also).await?;
    }
    Ok(format!("{at:?}"))
}

/// Fails once the file is on disk (`not spooled` otherwise).
#[post("/fail")]
async fn fail(request: &Request) -> Result<String, phial::Error> {
    match request.files.get("file").and_then(|file| file.path()) {
        Some(_) => Err(std::io::Error::other("the handler failed").into()),
        None => Ok("not spooled".to_owned()),
    }
}

/// Panics once the file is on disk (`not spooled` otherwise).
#[post("/panic")]
fn panics(request: &Request) -> &'static str {
    if request
        .files
        .get("file")
        .and_then(|file| file.path())
        .is_some()
    {
        panic!("the handler panicked with an upload on disk");
    }
    "not spooled"
}

fn app(dir: &Path) -> App {
    App::new()
        .spool_threshold(1024)
        .spool_dir(dir)
        .route(describe)
        .route(save)
        .route(fail)
        .route(panics)
}

#[tokio::test]
async fn a_file_over_the_threshold_is_spooled_to_disk_and_removed_after() {
    let dir = spool_dir("over");
    let client = app(&dir).test_client();
    let big = content(300 * 1024);
    let body = multipart(&[
        ("title", None, b"holiday"),
        ("small", Some("a.txt"), b"tiny"),
        ("file", Some("big.bin"), &big),
    ]);
    let response = client
        .post("/describe")
        .header("Content-Type", &content_type())
        .body(body)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text());
    assert_eq!(
        response.text(),
        format!(
            "small 4 memory {:x}\nfile {} disk in {} {:x}\ntitle=holiday\nbody=0",
            checksum(b"tiny"),
            big.len(),
            dir.display(),
            checksum(&big)
        )
    );
    assert_eq!(
        files_in(&dir),
        Vec::<PathBuf>::new(),
        "removed when the request ended"
    );
}

#[tokio::test]
async fn a_body_under_the_threshold_is_read_whole_as_before() {
    let dir = spool_dir("under");
    let client = app(&dir).test_client();
    let body = multipart(&[("file", Some("a.txt"), b"hello")]);
    let length = body.len();
    let response = client
        .post("/describe")
        .header("Content-Type", &content_type())
        .body(body)
        .await;
    assert_eq!(
        response.text(),
        format!(
            "file 5 memory {:x}\ntitle=-\nbody={length}",
            checksum(b"hello")
        )
    );
}

#[tokio::test]
async fn files_past_the_threshold_together_go_to_disk_one_by_one() {
    let dir = spool_dir("together");
    let client = app(&dir).test_client();
    let (first, second) = (content(700), content(700));
    let body = multipart(&[("a", Some("a"), &first), ("b", Some("b"), &second)]);
    let response = client
        .post("/describe")
        .header("Content-Type", &content_type())
        .body(body)
        .await;
    let text = response.text();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("a 700 memory "), "{text}");
    assert!(lines[1].starts_with("b 700 disk in "), "{text}");
    assert_eq!(files_in(&dir), Vec::<PathBuf>::new());
}

#[tokio::test]
async fn save_moves_a_spooled_file() {
    let dir = spool_dir("save");
    let saved_in = spool_dir("save-to");
    let saved = saved_in.join("kept.bin");
    let client = app(&dir).test_client();
    let big = content(64 * 1024);
    let response = client
        .post(&format!(
            "/save?to={}&also={}",
            saved.display(),
            saved.with_file_name("copy.bin").display()
        ))
        .header("Content-Type", &content_type())
        .body(multipart(&[("file", Some("big.bin"), &big)]))
        .await;
    assert_eq!(response.text(), format!("Some({saved:?})"), "moved there");
    assert_eq!(std::fs::read(&saved).unwrap(), big);
    assert_eq!(
        std::fs::read(saved.with_file_name("copy.bin")).unwrap(),
        big
    );
    assert_eq!(files_in(&dir), Vec::<PathBuf>::new());
    // Not the temporary file's private permissions: those of a file
    // written there.
    let written = saved.with_file_name("written.bin");
    std::fs::write(&written, b"").unwrap();
    assert_eq!(
        std::fs::metadata(&saved).unwrap().permissions(),
        std::fs::metadata(&written).unwrap().permissions()
    );
}

#[tokio::test]
async fn a_spooled_file_is_removed_when_the_handler_fails_or_panics() {
    let dir = spool_dir("fail");
    let client = app(&dir).test_client();
    let body = multipart(&[("file", Some("big.bin"), &content(8 * 1024))]);
    for path in ["/fail", "/panic"] {
        let response = client
            .post(path)
            .header("Content-Type", &content_type())
            .body(body.clone())
            .await;
        assert_eq!(
            response.status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "{path}"
        );
        assert_eq!(files_in(&dir), Vec::<PathBuf>::new(), "{path}");
    }
}

#[tokio::test]
async fn the_spool_settings_are_config_keys() {
    let dir = spool_dir("config");
    let config = phial::Config::new()
        .set("SPOOL_THRESHOLD", 1024)
        .set("SPOOL_DIR", dir.to_str().unwrap());
    let app = App::from_config(config).unwrap().route(describe);
    assert_eq!(
        app.config()
            .value("SPOOL_THRESHOLD")
            .and_then(|v| v.as_integer()),
        Some(1024)
    );
    let response = app
        .test_client()
        .post("/describe")
        .header("Content-Type", &content_type())
        .body(multipart(&[("file", Some("big.bin"), &content(2048))]))
        .await;
    assert!(response
        .text()
        .contains(&format!("disk in {}", dir.display())));
}

/// Serves `app`, and opens a connection that has sent the head of a
/// chunked multipart `POST /describe`, the body still to come.
async fn chunked_upload(app: App) -> (Server, Conn) {
    let server = Server::start(app).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(format!(
        "POST /describe HTTP/1.1\r\nHost: test\r\nContent-Type: {}\r\n\
         Transfer-Encoding: chunked\r\n\r\n",
        content_type()
    ))
    .await;
    (server, conn)
}

/// `bytes` as chunks of the chunked encoding, 10 000 bytes each.
fn chunked(bytes: &[u8]) -> Vec<u8> {
    let mut encoded = Vec::new();
    for chunk in bytes.chunks(10_000) {
        encoded.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        encoded.extend_from_slice(chunk);
        encoded.extend_from_slice(b"\r\n");
    }
    encoded
}

#[tokio::test]
async fn a_chunked_upload_lands_on_disk_intact_over_a_socket() {
    let dir = spool_dir("socket");
    let big = content(1024 * 1024 + 17);
    let (server, mut conn) = chunked_upload(app(&dir)).await;
    conn.send(chunked(&multipart(&[("file", Some("big.bin"), &big)])))
        .await;
    conn.send("0\r\n\r\n").await;
    let response = conn.response(false).await;
    assert_eq!(
        response.text(),
        format!(
            "file {} disk in {} {:x}\ntitle=-\nbody=0",
            big.len(),
            dir.display(),
            checksum(&big)
        )
    );
    assert_eq!(files_in(&dir), Vec::<PathBuf>::new());
    // The connection is still good for the next request.
    assert_eq!(conn.get("/nowhere").await.status, 404);
    server.shut_down().await;
}

#[tokio::test]
async fn a_chunked_upload_over_the_limit_is_413_mid_stream() {
    let dir = spool_dir("limit");
    let (server, mut conn) = chunked_upload(app(&dir).max_body_size(64 * 1024)).await;
    let body = chunked(&multipart(&[(
        "file",
        Some("big.bin"),
        &content(256 * 1024),
    )]));
    // The server may close before it has read everything: ignore the rest.
    let _ = conn.try_send(&body).await;
    let response = conn.response(false).await;
    assert_eq!(response.status, 413);
    until_files(&dir, 0).await;
    server.shut_down().await;
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_413_before_the_body() {
    let dir = spool_dir("declared");
    let server = Server::start(app(&dir).max_body_size(64 * 1024)).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(format!(
        "POST /describe HTTP/1.1\r\nHost: test\r\nContent-Type: {}\r\n\
         Content-Length: 1000000000\r\n\r\n",
        content_type()
    ))
    .await;
    let response = conn.response(false).await;
    assert_eq!(response.status, 413, "answered without a byte of the body");
    assert_eq!(files_in(&dir), Vec::<PathBuf>::new());
    server.shut_down().await;
}

#[tokio::test]
async fn a_client_gone_mid_upload_leaves_no_file() {
    let dir = spool_dir("gone");
    let (server, mut conn) = chunked_upload(app(&dir)).await;
    let body = multipart(&[("file", Some("big.bin"), &content(512 * 1024))]);
    // Half the body: the file is on disk, still being written.
    conn.send(chunked(&body[..body.len() / 2])).await;
    until_files(&dir, 1).await;
    drop(conn);
    until_files(&dir, 0).await;
    server.shut_down().await;
}

#[tokio::test]
async fn an_upload_slower_than_the_body_timeout_is_408_and_leaves_no_file() {
    let dir = spool_dir("slow");
    let app = app(&dir).body_read_timeout(std::time::Duration::from_millis(300));
    let (server, mut conn) = chunked_upload(app).await;
    let body = multipart(&[("file", Some("big.bin"), &content(64 * 1024))]);
    // Most of the body, then nothing: the rest never comes.
    conn.send(chunked(&body[..body.len() - 100])).await;
    let response = conn.response(false).await;
    assert_eq!(response.status, 408);
    until_files(&dir, 0).await;
    server.shut_down().await;
}

#[tokio::test]
async fn a_body_timeout_meant_as_never_spools_all_the_same() {
    let dir = spool_dir("never");
    let app = app(&dir).body_read_timeout(std::time::Duration::MAX);
    let (server, mut conn) = chunked_upload(app).await;
    let big = content(4096);
    conn.send(chunked(&multipart(&[("file", Some("big.bin"), &big)])))
        .await;
    conn.send("0\r\n\r\n").await;
    let response = conn.response(false).await;
    assert!(
        response.text().starts_with("file 4096 disk in "),
        "{}",
        response.text()
    );
    server.shut_down().await;
}

#[tokio::test]
async fn an_upload_over_http2_is_spooled_too() {
    use http_body_util::{BodyExt, Full};
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;

    let dir = spool_dir("h2");
    let server = Server::start(app(&dir)).await;
    let big = content(200 * 1024);
    let client = Client::builder(TokioExecutor::new())
        .http2_only(true)
        .build_http::<Full<bytes::Bytes>>();
    let request = http::Request::post(server.url("/describe"))
        .header("Content-Type", content_type())
        .body(Full::from(multipart(&[("file", Some("big.bin"), &big)])))
        .unwrap();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.version(), http::Version::HTTP_2);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        String::from_utf8_lossy(&body),
        format!(
            "file {} disk in {} {:x}\ntitle=-\nbody=0",
            big.len(),
            dir.display(),
            checksum(&big)
        )
    );
    assert_eq!(files_in(&dir), Vec::<PathBuf>::new());
    drop(client);
    server.shut_down().await;
}

#[tokio::test]
async fn a_missing_spool_folder_is_a_setup_error() {
    let missing = spool_dir("missing").join("not-there");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let error = app(&missing).serve(listener).await.unwrap_err();
    assert!(error.is_setup(), "{error}");
    assert!(
        error.to_string().contains(&format!(
            "the spool folder `{}` (App::spool_dir) is not a folder",
            missing.display()
        )),
        "{error}"
    );
}

#[tokio::test]
async fn a_malformed_upload_reads_as_empty_and_leaves_no_file() {
    let dir = spool_dir("malformed");
    let client = app(&dir).test_client();
    let mut body = multipart(&[("file", Some("big.bin"), &content(8 * 1024))]);
    // The closing boundary cut off: the part never ends.
    body.truncate(body.len() - BOUNDARY.len() - 10);
    let response = client
        .post("/describe")
        .header("Content-Type", &content_type())
        .body(body)
        .await;
    assert_eq!(response.text(), "title=-\nbody=0");
    assert_eq!(files_in(&dir), Vec::<PathBuf>::new());
}
