//! Floods of connections against a real server process
//! (`examples/slow.rs`), whose RSS, file descriptors and CPU time are its
//! own: many idle keep-alive connections (served, then reaped at the
//! timeout, new clients still served), running out of file descriptors on
//! accept, and clients that reset mid-response.
//!
//! The 10,000-connection run is `#[ignore]`d (it needs a hard fd limit
//! above 11,000 and about 140 s); run it with
//! `cargo test -p phial --test integration ten_thousand -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use phial::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::process::ServerProcess;
use crate::support::{read_until, Conn, Server, PATIENCE};

/// Raises this process's soft limit on open files to hold `count` client
/// sockets (and the rest of the test binary's).
fn allow_open_files(count: u64) {
    let wanted = count + 1024;
    let raised = rlimit::increase_nofile_limit(wanted).unwrap();
    assert!(
        raised >= wanted,
        "the hard limit on open files allows only {raised}; {count} connections need {wanted}"
    );
}

/// Opens a keep-alive connection and has `GET /` answered on it.
async fn served_once(addr: std::net::SocketAddr) -> (TcpStream, Instant) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until(&mut stream, "answer", |seen| {
        seen.ends_with(b"Hello, World!")
    })
    .await;
    assert!(answer.starts_with(b"HTTP/1.1 200 "));
    (stream, Instant::now())
}

/// Waits (up to `patience`) for the server to close `stream`; returns
/// what it sent meanwhile.
async fn closed_within(stream: &mut TcpStream, patience: Duration) -> Vec<u8> {
    let mut sent = Vec::new();
    // A reset counts as a close.
    let _ = tokio::time::timeout(patience, stream.read_to_end(&mut sent))
        .await
        .expect("the idle connection was not closed");
    sent
}

/// Opens `count` keep-alive connections, each served one request, then
/// left idle; checks that a new client is served meanwhile, that the idle
/// ones are closed after the keep-alive (header-read) timeout and not long
/// before, and reports the server's RSS per connection. In [`WAVES`]
/// waves: the last must fit in about the memory the one before left (no
/// leak per connection).
async fn idle_connections(count: usize, keep_alive: Duration) {
    allow_open_files(count as u64);
    let keep_alive_ms = keep_alive.as_millis().to_string();
    let server = ServerProcess::spawn("slow", &[("HEADER_READ_TIMEOUT_MS", &keep_alive_ms)]).await;
    // Warm up (the first requests allocate what every request reuses) on
    // connections the server closes, so the baseline counts none of them.
    for _ in 0..3 {
        let mut conn = Conn::open(server.addr).await;
        conn.send("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
            .await;
        assert_eq!(conn.response(false).await.status, 200);
        assert!(conn.until_closed().await.is_empty());
    }
    // The server's side closes just after the client sees it close.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let base_rss = server.rss_kib();
    let first_peak = idle_wave(&server, count, keep_alive).await;
    println!(
        "{count} idle connections: server RSS {base_rss} KiB -> {first_peak} KiB, \
         {:.1} KiB per connection",
        first_peak.saturating_sub(base_rss) as f64 / count as f64
    );
    // The allocator's pools settle over the first waves (measured: each
    // wave grows the peak by less than the one before, with one arena as
    // with two); after that a wave must fit in about what the last one
    // left, or something is kept per connection.
    let mut peaks = vec![first_peak];
    for _ in 1..WAVES {
        peaks.push(idle_wave(&server, count, keep_alive).await);
    }
    println!("RSS peaks of the {WAVES} waves (KiB): {peaks:?}");
    let (last, before) = (peaks[WAVES - 1], peaks[WAVES - 2]);
    assert!(
        last <= before + before / 10,
        "wave {WAVES} of {count} connections took the server from {before} KiB to {last} KiB \
         (peaks {peaks:?}): memory per connection is not reused"
    );
}

/// Waves of idle connections in [`idle_connections`].
const WAVES: usize = 4;

/// One wave of [`idle_connections`]; returns the server's RSS (KiB) with
/// all of them open.
async fn idle_wave(server: &ServerProcess, count: usize, keep_alive: Duration) -> u64 {
    let addr = server.addr;
    let base_fds = server.open_fds();
    let opening = Instant::now();
    let mut idle: Vec<(TcpStream, Instant)> = stream::iter(0..count)
        .map(|_| served_once(addr))
        .buffer_unordered(256)
        .collect()
        .await;
    let opened_in = opening.elapsed();
    assert!(
        opened_in < keep_alive,
        "opening {count} connections took {opened_in:?}, longer than the {keep_alive:?} \
         keep-alive: the first were closed before the last opened"
    );
    let open_fds = server.open_fds();
    let rss = server.rss_kib();
    assert!(
        open_fds >= base_fds + count,
        "{open_fds} fds open with {count} idle connections (baseline {base_fds})"
    );

    // A new client is served while they are all open.
    let mut fresh = Conn::open(addr).await;
    assert_eq!(fresh.get("/").await.status, 200);
    drop(fresh);

    // Each idle one is closed, silently, after the timeout.
    let earliest = stream::iter(idle.iter_mut())
        .map(|(stream, served)| async move {
            let sent = closed_within(stream, keep_alive + PATIENCE).await;
            assert!(sent.is_empty(), "an idle connection got bytes");
            served.elapsed()
        })
        .buffer_unordered(count)
        .fold(Duration::MAX, |earliest, lived| async move {
            earliest.min(lived)
        })
        .await;
    assert!(
        earliest >= keep_alive / 2,
        "an idle connection was closed after {earliest:?}, keep-alive timeout {keep_alive:?}"
    );
    drop(idle);
    server.wait_for_fds_at_most(base_fds).await;
    println!(
        "{count} idle keep-alive connections opened in {opened_in:?}, all served; closed after \
         the {keep_alive:?} keep-alive timeout (earliest after {earliest:?})"
    );
    rss
}

#[tokio::test]
async fn a_thousand_idle_keep_alive_connections_are_served_and_reaped() {
    idle_connections(1_000, Duration::from_secs(5)).await;
}

#[tokio::test]
#[ignore = "10,000 connections: run by hand (see the module docs), figures in docs/floods-and-soak.md"]
async fn ten_thousand_idle_keep_alive_connections_are_served_and_reaped() {
    idle_connections(10_000, Duration::from_secs(30)).await;
}

#[tokio::test]
async fn running_out_of_file_descriptors_is_logged_and_survived() {
    let fd_limit = 64;
    let server = ServerProcess::spawn_with_fd_limit(
        "slow",
        &[("HEADER_READ_TIMEOUT_MS", "60000")],
        Some(fd_limit),
    )
    .await;
    let addr = server.addr;
    // More connections than the server has descriptors: the kernel
    // completes their handshakes, the server can't accept them all.
    let mut conns = Vec::new();
    for _ in 0..2 * fd_limit {
        let mut conn = Conn::open(addr).await;
        conn.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").await;
        conns.push(conn);
    }
    server.wait_for_lines("accept failed", 1).await;

    // Stalled, it retries now and then instead of spinning on the
    // listener (a check on CPU use, not speed: a spin burns the whole
    // window).
    let window = Duration::from_secs(2);
    let cpu_before = server.cpu_time();
    tokio::time::sleep(window).await;
    let cpu_used = server.cpu_time() - cpu_before;
    println!("out of file descriptors: {cpu_used:?} of CPU used in {window:?}");
    assert!(
        cpu_used < window / 4,
        "the server used {cpu_used:?} of CPU in {window:?} while out of file descriptors"
    );
    let mut server = server;
    assert!(server.is_running(), "the server exited");
    // One line for the run, not one per retry.
    let logged = server.lines_with("accept");
    assert!(logged.len() <= 2, "the log floods: {logged:?}");

    // Once the clients go, the server accepts again.
    drop(conns);
    let mut conn = Conn::open(addr).await;
    assert_eq!(conn.get("/").await.status, 200);
    server
        .wait_for_lines("accepting connections again", 1)
        .await;
}

/// Asks for `/large` (8 MiB), reads the first bytes of the answer, and
/// resets the connection (SO_LINGER 0) while the server is still writing.
async fn reset_mid_response(addr: std::net::SocketAddr) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /large HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 4096];
    let read = tokio::time::timeout(PATIENCE, stream.read(&mut first))
        .await
        .expect("no answer")
        .unwrap();
    assert!(read > 0, "closed before answering");
    stream.set_zero_linger().unwrap();
    drop(stream);
}

const RESETS: usize = 200;

#[tokio::test]
async fn clients_that_reset_mid_response_leave_no_open_file_descriptor() {
    let server = ServerProcess::spawn("slow", &[]).await;
    assert_eq!(Conn::open(server.addr).await.get("/").await.status, 200);
    let base_fds = server.open_fds();
    for _ in 0..RESETS {
        reset_mid_response(server.addr).await;
    }
    server.wait_for_fds_at_most(base_fds).await;
    assert_eq!(Conn::open(server.addr).await.get("/").await.status, 200);
}

static LARGE: std::sync::LazyLock<bytes::Bytes> =
    std::sync::LazyLock::new(|| bytes::Bytes::from(vec![b'x'; 8 << 20]));

#[get("/large")]
fn large() -> bytes::Bytes {
    LARGE.clone()
}

#[tokio::test]
async fn clients_that_reset_mid_response_leave_no_task_behind() {
    let server = Server::start(App::new().route(large)).await;
    let metrics = tokio::runtime::Handle::current().metrics();
    // The test's own task and the server's accept loop.
    let base_tasks = metrics.num_alive_tasks();
    for _ in 0..RESETS {
        reset_mid_response(server.addr).await;
    }
    let settled = tokio::time::timeout(PATIENCE, async {
        while metrics.num_alive_tasks() > base_tasks {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(
        settled.is_ok(),
        "{} tasks alive after {RESETS} resets, {base_tasks} before",
        metrics.num_alive_tasks()
    );
    server.shut_down().await;
}
