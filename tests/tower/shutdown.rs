//! A stream behind tower layers ends when phial's server stops, as one
//! without layers does (tests/streaming.rs): the layers hand the server's
//! count of the request through to the app's body.

use std::time::Duration;

use futures_util::stream;
use phial::prelude::*;
use phial::sse::Sse;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tower::layer::util::Identity;

use crate::support::PATIENCE;

#[get("/quiet")]
fn quiet() -> Sse {
    Sse::new(stream::pending()).keep_alive(Duration::from_millis(20))
}

#[tokio::test]
async fn a_shutdown_ends_an_endless_stream_behind_layers_without_waiting_for_its_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    // Were the stream left to run, the server would wait this long.
    let app = App::new()
        .route(quiet)
        .shutdown_timeout(Duration::from_secs(3600));
    let server = tokio::spawn(
        app.layer(Identity::new())
            .serve_with_shutdown(listener, async {
                stopped.await.ok();
            }),
    );

    let mut socket = TcpStream::connect(addr).await.unwrap();
    socket
        .write_all(b"GET /quiet HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut buf = [0; 1024];
    while !seen.windows(3).any(|w| w == b":\n\n") {
        let n = tokio::time::timeout(PATIENCE, socket.read(&mut buf))
            .await
            .expect("no keep-alive comment")
            .unwrap();
        assert!(n > 0, "closed");
        seen.extend_from_slice(&buf[..n]);
    }
    stop.send(()).unwrap();
    // The rest of the response, to its last chunk, then the close.
    let rest = async {
        loop {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
        }
    };
    tokio::time::timeout(PATIENCE, rest)
        .await
        .expect("the stream went on after the shutdown");
    assert!(
        seen.ends_with(b"0\r\n\r\n"),
        "a complete chunked response: {}",
        String::from_utf8_lossy(&seen)
    );
    tokio::time::timeout(PATIENCE, server)
        .await
        .expect("the server waited for the stream")
        .unwrap();
}
