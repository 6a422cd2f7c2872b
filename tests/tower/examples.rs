//! examples/tower_layers.rs and examples/mount_in_axum.rs, served on real
//! sockets: phial serving tower-http's layers, and axum serving phial.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::support::Conn;

#[allow(dead_code)]
#[path = "../../examples/tower_layers.rs"]
mod tower_layers;

#[allow(dead_code)]
#[path = "../../examples/mount_in_axum.rs"]
mod mount_in_axum;

#[tokio::test]
async fn tower_layers_compresses_adds_cors_and_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let layered = tower_layers::with_layers(tower_layers::app(), Duration::from_millis(300));
    let server = tokio::spawn(layered.serve_with_shutdown(listener, async {
        stopped.await.ok();
    }));

    let client = reqwest::Client::new();
    let response = client
        .get(format!("http://{addr}/"))
        .header("accept-encoding", "br;q=0.8, gzip;q=0.9")
        .header("origin", "https://app.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        let values: Vec<_> = response
            .headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_ascii_lowercase())
            .collect();
        values.join(", ")
    };
    assert_eq!(header("content-encoding"), "gzip");
    assert!(
        header("vary").contains("accept-encoding"),
        "{}",
        header("vary")
    );
    assert!(header("vary").contains("origin"), "{}", header("vary"));
    assert_eq!(
        header("access-control-allow-origin"),
        "https://app.example.com"
    );
    let body = response.bytes().await.unwrap();
    assert_eq!(&body[..2], b"\x1f\x8b", "a gzip stream");

    let mut conn = Conn::open(addr).await;
    // The timeout layer answers for the handler that never does.
    conn.send("GET /stuck HTTP/1.1\r\nHost: test\r\n\r\n").await;
    assert_eq!(conn.response(false).await.status, 408);
    // phial's own checks still hold inside the layers.
    conn.send("GET / HTTP/1.1\r\n\r\n").await;
    assert_eq!(conn.response(false).await.status, 400);

    stop.send(()).unwrap();
    server.await.unwrap();
}

#[tokio::test]
async fn mount_in_axum_serves_phial_under_a_prefix() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = mount_in_axum::router().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    let mut conn = Conn::open(addr).await;
    let response = conn.get("/").await;
    assert_eq!(response.text(), "Hello from axum");
    let response = conn.get("/old/hello/ann").await;
    assert_eq!(response.status, 200, "{}", response.head);
    assert_eq!(
        response.text(),
        "Hello ann, from phial at /hello/ann (client 127.0.0.1)"
    );
    let response = conn.get("/old/nowhere").await;
    assert_eq!(response.status, 404);
    server.abort();
}
