//! Cookie parsing and formatting, phial against the `cookie` crate in the
//! same run.
//!
//! `cargo bench --bench cookies -- --warm-up-time 1 --measurement-time 3`

// criterion_group! generates undocumented public functions.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use phial::{Cookies, SameSite};
use time::macros::datetime;

fn header(pairs: usize) -> String {
    let typical = [
        "sid=8c2f1d9e4b7a4c0f9a3e",
        "theme=dark",
        "_ga=GA1.2.1234567890.1699999999",
    ];
    (0..pairs)
        .map(|i| {
            if i < typical.len() {
                typical[i].to_owned()
            } else {
                format!("pref_{i}=value-{i}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for pairs in [3, 30] {
        let text = header(pairs);
        group.bench_with_input(BenchmarkId::new("phial", pairs), &text, |b, text| {
            b.iter(|| {
                let cookies = Cookies::parse([black_box(text.as_str())]);
                black_box(cookies.get("theme", ""));
                cookies
            })
        });
        group.bench_with_input(BenchmarkId::new("cookie-crate", pairs), &text, |b, text| {
            b.iter(|| {
                let cookies: Vec<_> = cookie::Cookie::split_parse(black_box(text.as_str()))
                    .filter_map(Result::ok)
                    .collect();
                black_box(cookies.iter().find(|c| c.name() == "theme"));
                cookies
            })
        });
    }
    group.finish();
}

fn format(c: &mut Criterion) {
    let mut group = c.benchmark_group("format_all_attributes");
    let expires = datetime!(2030-01-01 12:30:45 UTC);
    let mut response = phial::make_response("");
    let ours = response
        .set_cookie("sid", "abc123")
        .max_age(3600)
        .expires(expires)
        .path("/app")
        .domain("example.com")
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Lax)
        .partitioned(true);
    group.bench_function("phial", |b| {
        b.iter(|| black_box(&*ours).to_header_value().unwrap())
    });
    let theirs = cookie::Cookie::build(("sid", "abc123"))
        .max_age(time::Duration::seconds(3600))
        .expires(expires)
        .path("/app")
        .domain("example.com")
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Lax)
        .partitioned(true)
        .build();
    group.bench_function("cookie-crate", |b| {
        b.iter(|| http::HeaderValue::try_from(black_box(&theirs).to_string()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, parse, format);
criterion_main!(benches);
