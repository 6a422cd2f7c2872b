//! `App` as a `tower::Service<http::Request<B>>`: the same answers, limits
//! and hooks as when phial serves it, under any hyper-based server.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody};
use phial::prelude::*;
use phial::RemoteAddr;
use tower::ServiceExt;

#[post("/echo")]
fn echo(request: &Request) -> String {
    format!("{} {}", request.remote_addr().ip(), request.text())
}

#[get("/state")]
fn read_state(number: &phial::extract::State<u32>) -> String {
    number.to_string()
}

fn post(body: impl Into<Bytes>) -> http::Request<Full<Bytes>> {
    http::Request::post("/echo")
        .header("host", "example.com")
        .body(Full::new(body.into()))
        .unwrap()
}

async fn text(response: http::Response<phial::Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn the_app_answers_as_a_tower_service() {
    let app = App::new().route(echo).into_service().unwrap();
    let mut request = post("hi");
    request
        .extensions_mut()
        .insert(RemoteAddr("203.0.113.7:4711".parse().unwrap()));
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(text(response).await, "203.0.113.7 hi");
    // Without the extension, the client is unknown.
    let response = app.oneshot(post("again")).await.unwrap();
    assert_eq!(text(response).await, "0.0.0.0 again");
}

#[tokio::test]
async fn the_body_limit_holds_for_any_body() {
    let app = App::new()
        .route(echo)
        .max_body_size(8)
        .into_service()
        .unwrap();
    let response = app.clone().oneshot(post("0123456789")).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A streamed body with no length is cut off at the limit too.
    let chunks = futures_util::stream::iter(
        ["0123", "4567", "89"]
            .map(|chunk| Ok::<_, Infallible>(http_body::Frame::data(Bytes::from(chunk)))),
    );
    let request = http::Request::post("/echo")
        .header("host", "example.com")
        .body(StreamBody::new(chunks))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn into_service_makes_the_start_up_check() {
    let error = App::new().route(read_state).into_service().unwrap_err();
    assert!(error.is_setup(), "{error}");
    let app = App::new()
        .state(7u32)
        .route(read_state)
        .into_service()
        .unwrap();
    let request = http::Request::get("/state")
        .header("host", "example.com")
        .body(Full::new(Bytes::new()))
        .unwrap();
    assert_eq!(text(app.oneshot(request).await.unwrap()).await, "7");
}

#[tokio::test]
async fn hyper_utils_server_serves_the_app() {
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;

    let app = App::new().route(echo).into_service().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let service = TowerToHyperService::new(app);
        hyper::server::conn::http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service)
            .await
            .unwrap();
    });
    let reply = crate::support::exchange(
        addr,
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
    )
    .await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.ends_with("0.0.0.0 hello"), "{reply}");
    server.await.unwrap();
}
