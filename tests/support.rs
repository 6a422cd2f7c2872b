//! Helpers for tests that talk to a real server over a real socket: start an
//! app on port 0, speak raw HTTP/1 over a `TcpStream`, capture log lines.

use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use phial::App;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long a test waits for anything before it calls the server stuck.
/// Generous: it bounds hangs, it doesn't measure speed.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// An app served on 127.0.0.1 (port 0) by `App::serve_with_shutdown`.
pub struct Server {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Server {
    pub async fn start(app: App) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app.serve_with_shutdown(listener, async {
            stopped.await.ok();
        }));
        Self {
            addr,
            stop: Some(stop),
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends the shutdown signal.
    pub fn signal(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).unwrap();
        }
    }

    /// Sends the shutdown signal and waits for `serve_with_shutdown` to return.
    pub async fn shut_down(mut self) {
        self.signal();
        tokio::time::timeout(PATIENCE, self.task)
            .await
            .expect("the server did not shut down")
            .unwrap();
    }

    /// Waits for `serve_with_shutdown` to return (after [`Server::signal`]).
    pub async fn finished(self) {
        tokio::time::timeout(PATIENCE, self.task)
            .await
            .expect("the server did not shut down")
            .unwrap();
    }
}

/// An HTTP/1 response as read off the wire.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    /// The status line and headers, as sent.
    pub head: String,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A raw client connection: write bytes, read responses one by one.
pub struct Conn {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Conn {
    pub async fn open(addr: SocketAddr) -> Self {
        Self {
            stream: TcpStream::connect(addr).await.unwrap(),
            buffer: Vec::new(),
        }
    }

    pub async fn send(&mut self, bytes: impl AsRef<[u8]>) {
        self.stream.write_all(bytes.as_ref()).await.unwrap();
    }

    /// Sends bytes; `false` if the server has closed the connection.
    pub async fn try_send(&mut self, bytes: &[u8]) -> bool {
        self.stream.write_all(bytes).await.is_ok()
    }

    /// Sends `GET target` (HTTP/1.1, keep-alive) and reads the answer.
    pub async fn get(&mut self, target: &str) -> RawResponse {
        self.send(format!("GET {target} HTTP/1.1\r\nHost: test\r\n\r\n"))
            .await;
        self.response(false).await
    }

    async fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 8192];
        let read = tokio::time::timeout(PATIENCE, self.stream.read(&mut chunk))
            .await
            .expect("the server neither answered nor closed")?;
        self.buffer.extend_from_slice(&chunk[..read]);
        Ok(read)
    }

    /// Reads one response; `head_only` for the answer to a HEAD request,
    /// whose Content-Length announces a body that is not sent.
    pub async fn response(&mut self, head_only: bool) -> RawResponse {
        let end = loop {
            if let Some(end) = find(&self.buffer, b"\r\n\r\n") {
                break end + 4;
            }
            let read = self.fill().await.unwrap();
            assert!(read > 0, "closed mid-response: {:?}", self.lossy());
        };
        let head = String::from_utf8(self.buffer.drain(..end).collect()).unwrap();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("not a status line: {head:?}"));
        let mut response = RawResponse {
            status,
            head,
            body: Vec::new(),
        };
        let length: usize = match response.header("content-length") {
            _ if head_only || (100..200).contains(&status) => 0,
            Some(length) => length.parse().unwrap(),
            None => {
                response.body = self.until_closed().await;
                return response;
            }
        };
        while self.buffer.len() < length {
            let read = self.fill().await.unwrap();
            assert!(read > 0, "closed mid-body");
        }
        response.body = self.buffer.drain(..length).collect();
        response
    }

    /// Everything the server sends until it closes the connection (a reset
    /// counts as a close).
    pub async fn until_closed(&mut self) -> Vec<u8> {
        while let Ok(read) = self.fill().await {
            if read == 0 {
                break;
            }
        }
        std::mem::take(&mut self.buffer)
    }

    fn lossy(&self) -> String {
        String::from_utf8_lossy(&self.buffer).into_owned()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Sends `request` on a fresh connection and returns everything the server
/// answers until it closes the connection.
pub async fn exchange(addr: SocketAddr, request: impl AsRef<[u8]>) -> String {
    let mut conn = Conn::open(addr).await;
    conn.send(request).await;
    String::from_utf8_lossy(&conn.until_closed().await).into_owned()
}

/// Log lines written on this thread while a capture is alive (the
/// `#[tokio::test]` runtime runs the server's tasks on the test's thread).
///
/// One global subscriber, installed once, writes each line to the capture
/// of the thread that logged it. A scoped subscriber per test would not do:
/// tracing caches each call site's interest process-wide, and a test
/// without a subscriber that reaches a call site first turns it off for all.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

thread_local! {
    static CAPTURE: RefCell<Option<Logs>> = const { RefCell::new(None) };
}

/// Stops the capture on drop.
pub struct Capturing(());

impl Drop for Capturing {
    fn drop(&mut self) {
        CAPTURE.with(|capture| capture.borrow_mut().take());
    }
}

impl Logs {
    /// Captures this thread's INFO-and-above lines until the guard drops.
    pub fn capture() -> (Self, Capturing) {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::INFO)
                .with_ansi(false)
                .with_writer(|| ThisThread)
                .finish();
            tracing::subscriber::set_global_default(subscriber).expect("another global subscriber");
        });
        let logs = Self::default();
        CAPTURE.with(|capture| *capture.borrow_mut() = Some(logs.clone()));
        (logs, Capturing(()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// The captured lines that contain `needle`.
    pub fn lines_with(&self, needle: &str) -> Vec<String> {
        self.text()
            .lines()
            .filter(|line| line.contains(needle))
            .map(str::to_owned)
            .collect()
    }

    /// Waits (up to [`PATIENCE`]) until a line contains `needle`.
    pub async fn wait_for(&self, needle: &str) -> String {
        let waiting = async {
            loop {
                if let Some(line) = self.lines_with(needle).pop() {
                    return line;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        tokio::time::timeout(PATIENCE, waiting)
            .await
            .unwrap_or_else(|_| panic!("no log line with {needle:?} in:\n{}", self.text()))
    }
}

/// Writes to the current thread's capture, if any.
struct ThisThread;

impl io::Write for ThisThread {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        CAPTURE.with(|capture| {
            if let Some(logs) = &*capture.borrow() {
                logs.0.lock().unwrap().extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads a served app's stderr up to Flask's banner line ` * Running on
/// http://ADDR`: the address, and the banner lines before it (the app's
/// name, debug mode). Panics if it doesn't come within [`PATIENCE`].
pub async fn read_banner<R>(stderr: &mut tokio::io::Lines<R>) -> (SocketAddr, Vec<String>)
where
    R: tokio::io::AsyncBufRead + Unpin,
{
    let mut before = Vec::new();
    loop {
        let line = tokio::time::timeout(PATIENCE, stderr.next_line())
            .await
            .expect("no banner")
            .unwrap()
            .expect("the server exited before its banner");
        if let Some(address) = line.strip_prefix(" * Running on http://") {
            return (address.parse().unwrap(), before);
        }
        before.push(line);
    }
}

/// A `multipart/form-data` body with `boundary`: each part a field (no
/// file name) or a file, sent as `file_type`.
pub fn multipart_body(
    boundary: &str,
    file_type: &str,
    parts: &[(&str, Option<&str>, &[u8])],
) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, filename, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = match filename {
            Some(filename) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                 Content-Type: {file_type}\r\n\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

/// Reads from `socket` until what was read satisfies `done` (each read
/// within [`PATIENCE`]); what was read. `waiting_for` names it in the
/// panic if it never comes.
pub async fn read_until(
    socket: &mut TcpStream,
    waiting_for: &str,
    done: impl Fn(&[u8]) -> bool,
) -> Vec<u8> {
    let mut seen = Vec::new();
    let mut buf = [0; 1024];
    while !done(&seen) {
        let n = tokio::time::timeout(PATIENCE, socket.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no {waiting_for}"))
            .unwrap();
        assert!(n > 0, "closed before {waiting_for}");
        seen.extend_from_slice(&buf[..n]);
    }
    seen
}

/// Reads from `socket` until `count` server-sent-event keep-alive comments
/// (`:` lines) arrived; what was read.
pub async fn until_keep_alive_comments(socket: &mut TcpStream, count: usize) -> Vec<u8> {
    read_until(socket, "keep-alive comment", |seen| {
        seen.windows(3).filter(|w| w == b":\n\n").count() >= count
    })
    .await
}

/// Reads the rest of a chunked response from `socket` after `seen`, to
/// the connection's close, and checks it ended with its last chunk (a
/// stream would go on for ever if it didn't end).
pub async fn assert_ends_complete(socket: &mut TcpStream, mut seen: Vec<u8>) {
    tokio::time::timeout(PATIENCE, socket.read_to_end(&mut seen))
        .await
        .expect("the stream went on after the shutdown")
        .unwrap();
    assert!(
        seen.ends_with(b"0\r\n\r\n"),
        "a complete chunked response: {}",
        String::from_utf8_lossy(&seen)
    );
}
