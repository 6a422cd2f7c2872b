//! Route matching in apps of 10, 100 and 1000 routes (static and with
//! converters), a whole request dispatched through the test client, and
//! a handler reading app state against one taking nothing.
//!
//! `cargo bench --bench dispatch -- --warm-up-time 1 --measurement-time 3`
//!
//! Matching is measured as the router sees it: the app is built from
//! routes registered at run time (as `routes!` does), and each benchmark
//! dispatches one request, so the difference between the 10- and 1000-route
//! apps is what the extra routes cost.

// criterion_group! generates undocumented public functions.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use phial::prelude::*;

mod numbered;
use numbered::app;

fn last_paths(count: usize) -> (String, String) {
    let last_static = (0..count).rev().find(|i| i % 2 == 0).unwrap();
    let last_dynamic = (0..count).rev().find(|i| i % 2 == 1).unwrap();
    (
        format!("/section{last_static}/page"),
        format!("/section{last_dynamic}/item/42"),
    )
}

fn route_matching(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("route_matching");
    for count in [10, 100, 1000] {
        let client = app(count).test_client();
        let (static_path, dynamic_path) = last_paths(count);
        for (kind, path) in [("static", static_path), ("converter", dynamic_path)] {
            group.bench_with_input(BenchmarkId::new(kind, count), &path, |b, path| {
                b.iter(|| runtime.block_on(async { black_box(client.get(path).await.status()) }))
            });
        }
    }
    group.finish();
}

// The seed example itself, not a copy of it.
#[allow(dead_code)]
#[path = "../../examples/cookies.rs"]
mod seed;

fn dispatch(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let client = phial::App::new()
        .discover(concat!(module_path!(), "::seed"))
        .test_client();
    let mut group = c.benchmark_group("dispatch");
    group.bench_function("seed_index", |b| {
        b.iter(|| runtime.block_on(async { black_box(client.get("/").await.status()) }))
    });
    group.bench_function("seed_user_with_cookies", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let request = client
                    .get("/user")
                    .header("Cookie", "username=bob; theme=dark; session=abc123");
                black_box(request.await.status())
            })
        })
    });
    group.bench_function("not_found", |b| {
        b.iter(|| runtime.block_on(async { black_box(client.get("/nowhere").await.status()) }))
    });
    group.finish();
}

/// The seed app's two handlers, public so they can also be listed.
mod twin {
    use phial::prelude::*;

    #[route("/")]
    pub async fn index() -> Response {
        let mut response = make_response("Hello, World!");
        response.set_cookie("username", "bob");
        response
    }

    #[route("/user")]
    pub async fn user(request: &Request) -> String {
        let username = request.cookies.get("username", "Guest");
        format!("Hello, {username}!")
    }
}

/// The seed app's routes found by `discover` (what `#[phial::main]` does)
/// against the same routes listed with `App::route`: after start both are
/// the same route table, so they must cost the same per request.
fn discovered_or_listed(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let discovered = phial::App::new()
        .discover(concat!(module_path!(), "::twin"))
        .test_client();
    let listed = phial::App::new()
        .route(twin::index)
        .route(twin::user)
        .test_client();
    let mut group = c.benchmark_group("discover");
    for (name, client) in [("discovered", &discovered), ("listed", &listed)] {
        group.bench_function(format!("{name}/user"), |b| {
            b.iter(|| {
                runtime.block_on(async {
                    let request = client.get("/user").header("Cookie", "username=bob");
                    black_box(request.await.status())
                })
            })
        });
    }
    group.finish();
}

/// State types for `state_lookup`: the handler reads the last registered.
struct First;
struct Second;
struct Third;
struct Greeting(&'static str);

#[get("/plain")]
fn plain() -> &'static str {
    "hello"
}

#[get("/state")]
fn with_state(greeting: &phial::extract::State<Greeting>) -> &'static str {
    greeting.0
}

/// A handler without arguments against one reading app state (the last
/// of four types registered: the longest scan), in the same app: what an
/// extractor costs (its boxed future and the state look-up).
fn state_lookup(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let client = App::new()
        .state(First)
        .state(Second)
        .state(Third)
        .state(Greeting("hello"))
        .routes(routes![plain, with_state])
        .test_client();
    let mut group = c.benchmark_group("state");
    for path in ["/plain", "/state"] {
        group.bench_function(path.trim_start_matches('/'), |b| {
            b.iter(|| runtime.block_on(async { black_box(client.get(path).await.text()) }))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    route_matching,
    dispatch,
    discovered_or_listed,
    state_lookup
);
criterion_main!(benches);
