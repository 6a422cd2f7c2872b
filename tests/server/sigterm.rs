//! SIGTERM to a real server process (`examples/slow.rs`) in the middle of
//! its work: 50 requests of 2 seconds in flight, idle HTTP/1 keep-alive
//! connections and an idle HTTP/2 one. New connections are refused at
//! once, every in-flight request is answered, the idle connections close
//! (HTTP/2 with a GOAWAY), and the process exits 0 within the grace period.
//! A second signal, or the grace deadline, ends the wait early.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

use super::process::ServerProcess;
use crate::support::{Conn, PATIENCE};

const IN_FLIGHT: usize = 50;
const IDLE_HTTP1: usize = 5;

/// An HTTP/2 frame as read off the wire.
struct Frame {
    kind: u8,
    flags: u8,
    stream: u32,
}

const DATA: u8 = 0x0;
const PING: u8 = 0x6;
const GOAWAY: u8 = 0x7;
const END_STREAM: u8 = 0x1;
const ACK: u8 = 0x1;

/// A raw HTTP/2 (prior knowledge) client connection.
struct H2Conn {
    stream: TcpStream,
}

impl H2Conn {
    /// Connects, sends the preface and empty SETTINGS, and `GET /` on
    /// stream 1; returns once the answer's last DATA frame arrived.
    async fn open_after_one_request(addr: std::net::SocketAddr) -> Self {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let mut hello = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
        hello.extend_from_slice(&[0, 0, 0, 0x4, 0, 0, 0, 0, 0]); // SETTINGS
                                                                 // HPACK: :method GET, :scheme http, :path / (static table),
                                                                 // :authority "test" (literal, indexed name).
        let block = [0x82, 0x86, 0x84, 0x41, 0x04, b't', b'e', b's', b't'];
        let flags = END_STREAM | 0x4; // END_HEADERS
        hello.extend_from_slice(&[0, 0, block.len() as u8, 0x1, flags, 0, 0, 0, 1]);
        hello.extend_from_slice(&block);
        stream.write_all(&hello).await.unwrap();
        let mut conn = Self { stream };
        loop {
            let frame = conn.frame().await.expect("closed before the answer");
            if frame.kind == DATA && frame.stream == 1 && frame.flags & END_STREAM != 0 {
                return conn;
            }
        }
    }

    /// The next frame, or `None` once the server closed the connection.
    /// Answers PINGs, as a client must (a graceful HTTP/2 shutdown sends
    /// one between its two GOAWAYs and waits for the answer).
    async fn frame(&mut self) -> Option<Frame> {
        let mut head = [0u8; 9];
        tokio::time::timeout(PATIENCE, self.stream.read_exact(&mut head))
            .await
            .expect("the server neither sent a frame nor closed")
            .ok()?;
        let length = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
        let mut payload = vec![0u8; length];
        self.stream.read_exact(&mut payload).await.ok()?;
        let stream = u32::from_be_bytes([head[5], head[6], head[7], head[8]]) & 0x7fff_ffff;
        if head[3] == PING && head[4] & ACK == 0 {
            let mut pong = vec![0, 0, 8, PING, ACK, 0, 0, 0, 0];
            pong.extend_from_slice(&payload);
            // The server may be closing: a failed write shows as the close.
            let _ = self.stream.write_all(&pong).await;
        }
        Some(Frame {
            kind: head[3],
            flags: head[4],
            stream,
        })
    }
}

/// Waits until a connection to `addr` is refused; returns how long that
/// took.
async fn refused_after(addr: std::net::SocketAddr) -> Duration {
    let start = Instant::now();
    loop {
        match TcpStream::connect(addr).await {
            Err(_) => return start.elapsed(),
            Ok(_accepted_before_the_close) => {
                assert!(
                    start.elapsed() < PATIENCE,
                    "connections still accepted {PATIENCE:?} after SIGTERM"
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

#[tokio::test]
async fn sigterm_answers_50_in_flight_requests_closes_idle_ones_and_exits_0() {
    let grace = Duration::from_secs(10);
    let mut server = ServerProcess::spawn(
        "slow",
        &[
            ("SHUTDOWN_TIMEOUT_MS", "10000"),
            // Idle connections stay open until the signal.
            ("HEADER_READ_TIMEOUT_MS", "60000"),
        ],
    )
    .await;
    let addr = server.addr;

    let mut idle = Vec::new();
    for _ in 0..IDLE_HTTP1 {
        let mut conn = Conn::open(addr).await;
        assert_eq!(conn.get("/").await.status, 200);
        idle.push(conn);
    }
    let mut idle_h2 = H2Conn::open_after_one_request(addr).await;

    let mut in_flight = JoinSet::new();
    for _ in 0..IN_FLIGHT {
        let mut conn = Conn::open(addr).await;
        in_flight.spawn(async move {
            let response = conn.get("/slow").await;
            (response.status, response.text())
        });
    }
    server
        .wait_for_lines("slow request started", IN_FLIGHT)
        .await;

    server.signal("TERM");
    let signalled = Instant::now();
    // The listener is closed at once: well before the 2-second requests
    // end (a generous bound: it is about milliseconds).
    let refused = refused_after(addr).await;
    assert!(
        refused < Duration::from_secs(1),
        "new connections refused only {refused:?} after SIGTERM"
    );

    for conn in &mut idle {
        assert!(
            conn.until_closed().await.is_empty(),
            "an idle connection got bytes"
        );
    }
    let mut goaway = false;
    while let Some(frame) = idle_h2.frame().await {
        goaway |= frame.kind == GOAWAY;
    }
    assert!(goaway, "the idle HTTP/2 connection closed without a GOAWAY");

    let mut answered = 0;
    while let Some(joined) = in_flight.join_next().await {
        let (status, text) = joined.unwrap();
        assert_eq!((status, text.as_str()), (200, "finished"));
        answered += 1;
    }
    assert_eq!(answered, IN_FLIGHT);

    let status = server.exit_status(grace).await;
    assert_eq!(status.code(), Some(0), "{status}");
    assert!(signalled.elapsed() < grace);
    assert!(server.lines_with("deadline passed").is_empty());
}

#[tokio::test]
async fn a_second_signal_closes_in_flight_requests_at_once() {
    let mut server = ServerProcess::spawn("slow", &[("SHUTDOWN_TIMEOUT_MS", "3600000")]).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("GET /slow?seconds=3600 HTTP/1.1\r\nHost: test\r\n\r\n")
        .await;
    server.wait_for_lines("slow request started", 1).await;

    server.signal("TERM");
    server.wait_for_lines("shutting down", 1).await;
    assert!(
        server.is_running(),
        "exited before the request was answered"
    );
    server.signal("INT");
    let status = server.exit_status(PATIENCE).await;
    assert_eq!(status.code(), Some(0), "{status}");
    assert!(conn.until_closed().await.is_empty());
    assert_eq!(server.lines_with("second shutdown signal").len(), 1);
}

#[tokio::test]
async fn the_grace_deadline_closes_in_flight_requests() {
    let mut server = ServerProcess::spawn("slow", &[("SHUTDOWN_TIMEOUT_MS", "300")]).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send("GET /slow?seconds=3600 HTTP/1.1\r\nHost: test\r\n\r\n")
        .await;
    server.wait_for_lines("slow request started", 1).await;

    server.signal("TERM");
    let status = server.exit_status(PATIENCE).await;
    assert_eq!(status.code(), Some(0), "{status}");
    assert!(conn.until_closed().await.is_empty());
    assert_eq!(server.lines_with("shutdown deadline passed").len(), 1);
}
