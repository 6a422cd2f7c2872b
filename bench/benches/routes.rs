//! Route lookup at 10, 100 and 1000 routes in phial, axum and actix-web,
//! in one run (issue 24, point 5): half the routes `/section{i}/page`,
//! half `/section{i}/item/{id}`; each figure is one whole in-process
//! request to the last-registered route of its kind (phial through its
//! test client, axum through `tower::ServiceExt::oneshot`, actix-web
//! through `actix_web::test::call_service`). What the three do around
//! the lookup differs, so compare each framework's 1000-route figure with
//! its own 10-route one.
//!
//! `cargo bench --bench routes -- --warm-up-time 1 --measurement-time 3`

#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};

const COUNTS: [usize; 3] = [10, 100, 1000];

fn last_paths(count: usize) -> [(&'static str, String); 2] {
    let last_static = (0..count).rev().find(|i| i % 2 == 0).unwrap();
    let last_dynamic = (0..count).rev().find(|i| i % 2 == 1).unwrap();
    [
        ("static", format!("/section{last_static}/page")),
        ("converter", format!("/section{last_dynamic}/item/42")),
    ]
}

#[path = "../../framework/benches/numbered/mod.rs"]
mod phial_app;

fn phial_lookup(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("routes/phial");
    for count in COUNTS {
        let client = phial_app::app(count).test_client();
        for (kind, path) in last_paths(count) {
            group.bench_with_input(BenchmarkId::new(kind, count), &path, |b, path| {
                b.iter(|| runtime.block_on(async { black_box(client.get(path).await.status()) }))
            });
        }
    }
    group.finish();
}

fn axum_lookup(c: &mut Criterion) {
    use axum::extract::Path;
    use axum::routing::get;
    use tower::ServiceExt;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("routes/axum");
    for count in COUNTS {
        let mut router = axum::Router::new();
        for i in 0..count {
            router = if i % 2 == 0 {
                router.route(&format!("/section{i}/page"), get(|| async { "static" }))
            } else {
                router.route(
                    &format!("/section{i}/item/{{id}}"),
                    get(|Path(_id): Path<u32>| async { "dynamic" }),
                )
            };
        }
        for (kind, path) in last_paths(count) {
            group.bench_with_input(BenchmarkId::new(kind, count), &path, |b, path| {
                b.iter(|| {
                    runtime.block_on(async {
                        let request = http::Request::get(path.as_str())
                            .body(axum::body::Body::empty())
                            .unwrap();
                        black_box(router.clone().oneshot(request).await.unwrap().status())
                    })
                })
            });
        }
    }
    group.finish();
}

fn actix_lookup(c: &mut Criterion) {
    use actix_web::{test, web, App, HttpResponse};

    let system = actix_web::rt::System::new();
    let mut group = c.benchmark_group("routes/actix");
    for count in COUNTS {
        let service = system.block_on(async {
            let mut app = App::new();
            for i in 0..count {
                app = if i % 2 == 0 {
                    app.route(
                        &format!("/section{i}/page"),
                        web::get().to(|| async { HttpResponse::Ok().body("static") }),
                    )
                } else {
                    app.route(
                        &format!("/section{i}/item/{{id}}"),
                        web::get()
                            .to(|_id: web::Path<u32>| async { HttpResponse::Ok().body("dynamic") }),
                    )
                };
            }
            test::init_service(app).await
        });
        for (kind, path) in last_paths(count) {
            group.bench_with_input(BenchmarkId::new(kind, count), &path, |b, path| {
                b.iter(|| {
                    system.block_on(async {
                        let request = test::TestRequest::get().uri(path).to_request();
                        black_box(test::call_service(&service, request).await.status())
                    })
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, phial_lookup, axum_lookup, actix_lookup);
criterion_main!(benches);
