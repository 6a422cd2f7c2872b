//! A stream behind tower layers ends when phial's server stops, as one
//! without layers does (tests/streaming.rs): the layers hand the server's
//! count of the request through to the app's body.

use std::time::Duration;

use futures_util::stream;
use phial::prelude::*;
use phial::sse::Sse;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tower::layer::util::Identity;

use crate::support::{assert_ends_complete, until_keep_alive_comments, PATIENCE};

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
    let seen = until_keep_alive_comments(&mut socket, 1).await;
    stop.send(()).unwrap();
    // The rest of the response, to its last chunk, then the close.
    assert_ends_complete(&mut socket, seen).await;
    tokio::time::timeout(PATIENCE, server)
        .await
        .expect("the server waited for the stream")
        .unwrap();
}
