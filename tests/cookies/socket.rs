//! A real socket, a real client with its own cookie store.

use phial::prelude::*;

use super::{echo, read, roundtrip, visits, ROUND_TRIP};

async fn serve(app: App) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.serve_with_shutdown(listener, async {
        stopped.await.ok();
    }));
    (base, stop)
}

#[tokio::test]
async fn utf8_values_round_trip_over_a_real_socket() {
    let (base, stop) = serve(App::new().route(roundtrip).route(read)).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    for value in ROUND_TRIP {
        let set = client
            .get(format!("{base}/roundtrip"))
            .query(&[("v", value)])
            .send()
            .await
            .unwrap();
        assert_eq!(set.status(), 200);
        let reply = client.get(format!("{base}/read")).send().await.unwrap();
        assert_eq!(reply.text().await.unwrap(), value, "{value:?}");
    }
    stop.send(()).unwrap();
}

#[tokio::test]
async fn seed_app_over_a_real_socket_with_a_cookie_store() {
    let (base, stop) = serve(visits::app().route(echo)).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    for n in 1..=2 {
        let text = client
            .get(&base)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(text, format!("You have been here {n} time(s)."));
    }
    client.get(format!("{base}/reset")).send().await.unwrap();
    let text = client
        .get(&base)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(text, "You have been here 1 time(s).");
    stop.send(()).unwrap();
}

#[tokio::test]
async fn hostile_raw_bytes_over_a_real_socket_never_fail_the_request() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (base, stop) = serve(App::new().route(echo)).await;
    let addr = base.trim_start_matches("http://");
    let mut request = Vec::new();
    request.extend_from_slice(b"GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    request.extend_from_slice(b"Cookie: bad=\xff\xfe; ok=1; =evil; \xc3\xa9=\xc3\xa9\r\n");
    request.extend_from_slice(b"Cookie: q=\"\\377\"; sandwich=\"a; b=c\"\r\n\r\n");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.ends_with(r#"[("ok", "1"), ("é", "é"), ("sandwich", "\"a"), ("b", "c\"")]"#),
        "{response}"
    );
    stop.send(()).unwrap();
}
