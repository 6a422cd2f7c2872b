//! Cookies end to end: hostile `Cookie` headers, the Flask conformance
//! fixture, the test client's jar, the examples, and a real socket with a
//! real client's cookie store.

use std::sync::{Arc, Mutex};

use phial::prelude::*;

#[allow(dead_code)]
#[path = "../examples/preferences.rs"]
mod preferences;
#[allow(dead_code)]
#[path = "../examples/visits.rs"]
mod visits;

mod fixture;
mod jar;
mod reading;
mod socket;
mod writing;

// ---------------------------------------------------------------------------
// Log capture: the 500s and warnings must name the cookie and the rule.

#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;

    fn make_writer(&'a self) -> Logs {
        self.clone()
    }
}

impl Logs {
    /// Captures warnings and errors logged on this thread until the guard drops.
    fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(logs.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::WARN)
            .finish();
        (logs.clone(), tracing::subscriber::set_default(subscriber))
    }

    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
    }
}

// ---------------------------------------------------------------------------
// Routes several test modules share.

fn dump(request: &Request) -> String {
    let pairs: Vec<_> = request.cookies.iter().collect();
    format!("{pairs:?}")
}

#[route("/echo")]
fn echo(request: &Request) -> String {
    dump(request)
}

#[route("/login")]
fn login() -> Response {
    let mut response = make_response("in");
    response
        .set_cookie("sid", "abc")
        .path("/app")
        .domain("localhost")
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Strict);
    response
}

#[route("/logout")]
fn logout() -> Response {
    let mut response = make_response("out");
    response.delete_cookie("sid");
    response
}

#[route("/roundtrip")]
fn roundtrip(request: &Request) -> Response {
    let value = request.args.get("v", "");
    let mut response = make_response(value.to_owned());
    response.set_cookie("v", value);
    response
}

#[route("/read")]
fn read(request: &Request) -> String {
    request.cookies.get("v", "<missing>").to_owned()
}

const ROUND_TRIP: [&str; 8] = [
    "a;b",
    "say \"hi\"",
    "back\\slash",
    " spaced out ",
    "😀 emoji",
    "café, crème; brûlée \"\\ 😀",
    "\u{1}\u{1f}\u{7f}\u{80}",
    "",
];
