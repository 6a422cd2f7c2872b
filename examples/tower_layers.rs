//! tower-http's middleware around a phial app, as Flask wraps
//! `app.wsgi_app`: responses compressed (gzip, br or zstd, by the client's
//! `Accept-Encoding`), CORS headers for a front end on another origin, and
//! a timeout on every request.
//!
//! `cargo run --example tower_layers --features compression` serves it on
//! 127.0.0.1:5000 (or the address given as the first argument, or
//! `127.0.0.1:$PORT`). Try
//! `curl -si --compressed http://127.0.0.1:5000/ -H 'Origin: https://app.example.com'`.

use std::time::Duration;

use http::{HeaderValue, Method};
use phial::prelude::*;
use phial::{Compressible, Layered};
use tower_http::compression::Compression;
use tower_http::cors::{Cors, CorsLayer};
use tower_http::timeout::{Timeout, TimeoutLayer};

/// A page long enough to be worth compressing.
#[get("/")]
fn index() -> String {
    let rows: String = (1..=100)
        .map(|n| format!("<li>Row {n} of the report</li>\n"))
        .collect();
    format!("<!doctype html>\n<title>Report</title>\n<ul>\n{rows}</ul>\n")
}

/// A handler that never answers: the timeout layer answers for it.
#[get("/stuck")]
async fn stuck() -> &'static str {
    std::future::pending::<()>().await;
    "never"
}

/// The app, before its layers.
pub fn app() -> App {
    App::new().route(index).route(stuck)
}

/// The app in its layers: the last added sees the request first, so the
/// timeout covers the rest, and CORS headers are added before the
/// response is compressed.
pub fn with_layers(
    app: App,
    timeout: Duration,
) -> Layered<Timeout<Cors<Compression<App, Compressible>>>> {
    let cors = CorsLayer::new()
        .allow_origin(HeaderValue::from_static("https://app.example.com"))
        .allow_methods([Method::GET, Method::POST]);
    app.layer(phial::compression())
        .layer(cors)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    with_layers(app(), Duration::from_secs(10))
        .run(&phial::default_address())
        .await
}
