//! Heap allocations per request, counted by a global allocator: a
//! deterministic check that the hot path stays lean (no timing involved).
//!
//! Its own test binary, because a `#[global_allocator]` is process-wide.
//! The server runs on a current-thread runtime in its own thread; the
//! client is a blocking `std` socket reading into a fixed buffer, which
//! allocates nothing, so every allocation counted is the server's: hyper's,
//! tokio's and phial's.

use std::alloc::System;
use std::io::{Read, Write};
use std::net::TcpStream;

use phial::prelude::*;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// A static route that reads one cookie and sets one.
#[route("/")]
fn index(request: &Request) -> Response {
    let theme = request.cookies.get("theme", "light");
    let mut response = make_response(if theme == "dark" { "Dark" } else { "Light" });
    response.set_cookie("seen", "1");
    response
}

const REQUEST: &[u8] =
    b"GET / HTTP/1.1\r\nHost: test\r\nCookie: username=bob; theme=dark; session=abc123\r\n\r\n";

/// Sends one request on `stream` and reads the whole response.
fn round_trip(stream: &mut TcpStream, buffer: &mut [u8]) {
    stream.write_all(REQUEST).unwrap();
    let mut filled = 0;
    loop {
        let read = stream.read(&mut buffer[filled..]).unwrap();
        assert!(read > 0, "the server closed the connection");
        filled += read;
        // The body, "Dark", ends the response.
        if buffer[..filled].ends_with(b"\r\n\r\nDark") {
            return;
        }
    }
}

/// What serving that request allocates on a keep-alive connection, from a
/// callgrind profile of the seed app (bench/profile.sh):
///
/// - hyper, for any response (raw hyper serving the same response makes
///   them too): the response's `HeaderMap` (its index table and its entry
///   list: 2), the boxed timer of the header-read timeout for the next
///   request head (1), and its read buffer's refills (1 to 2, depending on
///   how the reads fall).
/// - the response needs the Set-Cookie header's text (1: formatted in a
///   buffer the thread keeps and copied once into the header value).
/// - nothing beyond what it needs: the response's list of cookies holds
///   its first cookie inline, the cookie's name and value are kept inline
///   (up to 24 bytes each), the scope's default path is a borrowed `/`,
///   and the header value is made in one allocation.
///
/// Reading the cookie allocates nothing (the one `Cookie` header is held as
/// is and searched), and neither do routing a static path (the router
/// borrows its match) and the request's `args`, `form` and `files` for a
/// body-less request without a query. A synchronous handler's reply isn't
/// boxed (an `async` one's is: 1 more).
const BOUND: usize = 7;

#[test]
fn a_static_route_reading_and_setting_a_cookie_stays_within_its_allocations() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            App::new().route(index).serve(listener).await.unwrap();
        });
    });
    let mut stream = TcpStream::connect(address).unwrap();
    let mut buffer = [0u8; 4096];
    // Warm up: the connection's buffers and the app's lazily built state.
    for _ in 0..20 {
        round_trip(&mut stream, &mut buffer);
    }
    const REQUESTS: usize = 100;
    let region = Region::new(GLOBAL);
    for _ in 0..REQUESTS {
        round_trip(&mut stream, &mut buffer);
    }
    let allocations = region.change().allocations;
    let per_request = allocations as f64 / REQUESTS as f64;
    println!("{per_request:.2} allocations per request");
    assert!(
        allocations <= BOUND * REQUESTS,
        "{per_request:.2} allocations per request, over the bound of {BOUND}"
    );
}
