//! `phial::compression()`: tower-http's compression, chosen by
//! `Accept-Encoding` and its q-values, for responses worth it.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use phial::prelude::*;
use tower::{Layer, ServiceExt};
use tower_http::decompression::DecompressionLayer;

fn page_text() -> String {
    "<p>phial compresses pages worth it</p>\n".repeat(40)
}

#[get("/page")]
fn page() -> Response {
    make_response(page_text()).with_content_type("text/html; charset=utf-8")
}

#[get("/short")]
fn short() -> &'static str {
    "too short to gain"
}

#[get("/png")]
fn png() -> Response {
    make_response(vec![7u8; 4000]).with_content_type("image/png")
}

#[get("/encoded")]
fn encoded() -> Response {
    make_response(page_text()).with_header("content-encoding", "identity")
}

fn app() -> App {
    App::new().routes(routes![page, short, png, encoded])
}

async fn get(path: &str, accept: &str) -> http::Response<Bytes> {
    let service = app().layer(phial::compression()).into_service();
    let mut request = http::Request::get(path).header("host", "example.com");
    if !accept.is_empty() {
        request = request.header("accept-encoding", accept);
    }
    let request = request.body(Full::new(Bytes::new())).unwrap();
    let response = service.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    http::Response::from_parts(parts, body.collect().await.unwrap().to_bytes())
}

fn header<'a>(response: &'a http::Response<Bytes>, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap())
}

#[tokio::test]
async fn the_encoding_follows_accept_encoding_and_its_q_values() {
    for (accept, expected) in [
        ("gzip", Some("gzip")),
        ("br", Some("br")),
        ("zstd", Some("zstd")),
        ("gzip;q=1.0, br;q=0.5", Some("gzip")),
        ("gzip;q=0, br", Some("br")),
        ("gzip;q=0", None),
        ("identity", None),
        ("", None),
    ] {
        let response = get("/page", accept).await;
        assert_eq!(
            header(&response, "content-encoding"),
            expected,
            "{accept:?}"
        );
        assert_eq!(
            header(&response, "vary"),
            Some("accept-encoding"),
            "{accept:?}"
        );
        if expected.is_some() {
            assert!(response.body().len() < page_text().len() / 4, "{accept:?}");
        } else {
            assert_eq!(response.body(), page_text().as_bytes(), "{accept:?}");
        }
    }
}

#[tokio::test]
async fn short_bodies_compressed_types_and_encoded_bodies_are_left_alone() {
    for path in ["/short", "/png", "/encoded"] {
        let response = get(path, "gzip, br, zstd").await;
        assert_eq!(response.status(), StatusCode::OK);
        let encoding = header(&response, "content-encoding");
        assert!(
            matches!(encoding, None | Some("identity")),
            "{path}: {encoding:?}"
        );
        assert_eq!(header(&response, "vary"), None, "{path}");
    }
}

#[tokio::test]
async fn every_encoding_decodes_to_the_page() {
    for accept in ["gzip", "br", "zstd"] {
        let service =
            DecompressionLayer::new().layer(app().layer(phial::compression()).into_service());
        let request = http::Request::get("/page")
            .header("host", "example.com")
            .header("accept-encoding", accept)
            .body(Full::new(Bytes::new()))
            .unwrap();
        let response = service.oneshot(request).await.unwrap();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(body, page_text().as_bytes(), "{accept}");
    }
}
