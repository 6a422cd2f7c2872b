//! A signed session read and written back on every request, phial's
//! `request.session` against the same work done by hand with the `cookie`
//! crate's signed jar, both driven through the test client so the rest of
//! the request costs the same. A handler that touches nothing is the floor.
//!
//! `cargo bench --bench sessions -- --warm-up-time 1 --measurement-time 3`

// criterion_group! generates undocumented public functions.
#![allow(missing_docs)]

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cookie::{Cookie, CookieJar, Key};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use phial::prelude::*;
use phial::HeaderValue;
use serde_json::{json, Map, Value};
use std::future::IntoFuture;

const SECRET: &str = "a benchmark secret key, 32 bytes or more";

fn key() -> &'static Key {
    static KEY: OnceLock<Key> = OnceLock::new();
    KEY.get_or_init(|| Key::derive_from(SECRET.as_bytes()))
}

#[route("/phial")]
fn with_phial(request: &Request) -> String {
    let visits = request.session.get("visits", 0u64) + 1;
    let user = request.session.get("user", "ann");
    request.session.insert("user", &user);
    request.session.insert("visits", visits);
    format!("{user} {visits}")
}

#[route("/jar")]
fn with_jar(request: &Request) -> Response {
    let mut jar = CookieJar::new();
    if let Some(header) = request.header("cookie") {
        // `split_parse_encoded`: the value is sent percent-encoded
        // (`encoded()` below), and the signed jar's base64 MAC holds `/`,
        // `+` and `=`. Read without decoding, the MAC never verified, so
        // this baseline skipped the HMAC check and the JSON decode on
        // every request and always started a fresh session.
        for cookie in Cookie::split_parse_encoded(header.to_owned()).flatten() {
            jar.add_original(cookie);
        }
    }
    let mut session: Map<String, Value> = jar
        .signed(key())
        .get("session")
        .and_then(|cookie| URL_SAFE_NO_PAD.decode(cookie.value()).ok())
        .and_then(|json| serde_json::from_slice(&json).ok())
        .unwrap_or_default();
    let visits = session.get("visits").and_then(Value::as_u64).unwrap_or(0) + 1;
    let user = session
        .get("user")
        .and_then(Value::as_str)
        .unwrap_or("ann")
        .to_owned();
    session.insert("user".to_owned(), json!(user));
    session.insert("visits".to_owned(), json!(visits));
    let value = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&session).unwrap_or_default());
    jar.signed_mut(key()).add(
        Cookie::build(("session", value))
            .path("/")
            .http_only(true)
            .same_site(cookie::SameSite::Lax),
    );
    let mut response = make_response(format!("{user} {visits}"));
    for cookie in jar.delta() {
        if let Ok(header) = HeaderValue::try_from(cookie.encoded().to_string()) {
            response.headers_mut().append("set-cookie", header);
        }
    }
    response
        .headers_mut()
        .append("vary", HeaderValue::from_static("Cookie"));
    response
}

#[route("/nothing")]
fn nothing() -> &'static str {
    "ann 1"
}

fn session_round_trip(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let app = App::new()
        .secret_key(SECRET)
        .routes(routes![with_phial, with_jar, nothing]);
    let mut group = c.benchmark_group("session_read_and_write_back");
    for (name, path) in [
        ("cookie-crate-signed-jar", "/jar"),
        ("phial-session", "/phial"),
        ("no-session-floor", "/nothing"),
    ] {
        let client = app.test_client();
        // A session to read from the first measured request on; and proof
        // that each side reads it back (the count goes up), so neither can
        // skip the verification unnoticed.
        let first = runtime.block_on(client.get(path).into_future()).text();
        let second = runtime.block_on(client.get(path).into_future()).text();
        if path != "/nothing" {
            assert_eq!(
                (first.as_str(), second.as_str()),
                ("ann 1", "ann 2"),
                "{name}"
            );
        }
        group.bench_function(name, |b| {
            b.iter(|| black_box(runtime.block_on(client.get(black_box(path)).into_future())))
        });
    }
    group.finish();
}

criterion_group!(benches, session_round_trip);
criterion_main!(benches);
