//! A server for drills: floods, resets and graceful shutdown, run by
//! phial's own tests and scripts against a real process (`tests/server/`,
//! `scripts/floods.sh`).
//!
//! - `/` answers at once;
//! - `/slow` answers after 2 seconds, or `?seconds=N` (an in-flight
//!   request at shutdown), and logs when it starts;
//! - `/large` answers 8 MiB (a client can reset mid-response).
//!
//! `HEADER_READ_TIMEOUT_MS` and `SHUTDOWN_TIMEOUT_MS` set those timeouts
//! (idle keep-alive connections are closed after the first). Serves on
//! 127.0.0.1:5000 unless given an address as the first argument or `PORT`.

use std::sync::LazyLock;
use std::time::Duration;

use bytes::Bytes;
use phial::prelude::*;

/// The `/large` body, made once.
static LARGE: LazyLock<Bytes> = LazyLock::new(|| Bytes::from(vec![b'x'; 8 << 20]));

#[get("/")]
fn index() -> &'static str {
    "Hello, World!"
}

#[get("/slow")]
async fn slow(request: &Request) -> &'static str {
    let seconds = request.args.get("seconds", 2u64);
    // Tells a test that the request is in flight.
    tracing::info!("slow request started: {seconds} s");
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    "finished"
}

#[get("/large")]
fn large() -> Bytes {
    LARGE.clone()
}

/// A duration in milliseconds from the environment variable `name`.
fn millis_from_env(name: &str) -> Option<Duration> {
    let value = std::env::var(name).ok()?;
    match value.parse() {
        Ok(millis) => Some(Duration::from_millis(millis)),
        Err(_) => panic!("{name}={value:?} is not a number of milliseconds"),
    }
}

/// The app, with the timeouts from the environment.
pub fn app() -> App {
    let mut app = App::new().routes(routes![index, slow, large]);
    if let Some(timeout) = millis_from_env("HEADER_READ_TIMEOUT_MS") {
        app = app.header_read_timeout(timeout);
    }
    if let Some(timeout) = millis_from_env("SHUTDOWN_TIMEOUT_MS") {
        app = app.shutdown_timeout(timeout);
    }
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    LazyLock::force(&LARGE);
    app().run(&phial::default_address()).await
}
