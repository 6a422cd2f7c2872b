//! Property tests (proptest) for cookies: whatever `set_cookie` accepts
//! round-trips through `Set-Cookie` -> the test client's jar -> `Cookie` ->
//! `request.cookies.get`, and every header phial emits matches the RFC
//! 6265bis grammar (tests/set_cookie_grammar.rs, shared with the fuzz
//! targets in fuzz/).

use phial::prelude::*;
use phial::Cookies;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::set_cookie_grammar;

/// Sets the cookie named by the JSON body `[name, value]`.
#[post("/set")]
fn set(request: &Request) -> Response {
    let (name, value): (String, String) = serde_json::from_slice(request.body()).unwrap();
    let mut response = make_response("set");
    response.set_cookie(name, value);
    response
}

/// Answers the value of the cookie named by the body (JSON `null` if none).
#[post("/get")]
fn get(request: &Request) -> String {
    let name = request.text();
    serde_json::to_string(&request.cookies.get(&name, None)).unwrap()
}

/// RFC 9110 token: what phial accepts as a cookie name.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Any text: arbitrary Unicode, controls, and the characters cookie
/// encodings trip on.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter),
        proptest::collection::vec(
            prop_oneof![
                Just(';'),
                Just('"'),
                Just('\\'),
                Just(' '),
                Just(','),
                Just('='),
                Just('\t'),
                Just('\0'),
                Just('\u{7f}'),
                Just('é'),
                Just('😀'),
                proptest::char::range('!', '~'),
            ],
            0..max
        )
        .prop_map(String::from_iter),
    ]
}

fn cookie_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}",
        1 => text(8),
    ]
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn accepted_cookies_round_trip_through_the_jar() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let app = App::new().route(set).route(get);
    runner(200)
        .run(&(cookie_name(), text(24)), |(name, value)| {
            runtime.block_on(async {
                let client = app.test_client();
                let body = serde_json::to_vec(&(&name, &value)).unwrap();
                let response = client.post("/set").body(body).await;
                if !is_token(&name) {
                    // Refused: a 500, and the app goes on serving.
                    prop_assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
                    let again = client.post("/get").body("x").await;
                    prop_assert_eq!(again.status(), StatusCode::OK);
                    return Ok(());
                }
                prop_assert_eq!(response.status(), StatusCode::OK);
                let headers = response.set_cookie_headers();
                prop_assert_eq!(headers.len(), 1);
                let header = headers[0];
                set_cookie_grammar::check(header).map_err(TestCaseError::fail)?;
                set_cookie_grammar::check_strict_value(
                    &value,
                    set_cookie_grammar::value_of(header),
                )
                .map_err(TestCaseError::fail)?;
                // The pair alone, as a browser sends it back.
                let pair = header.split("; ").next().unwrap();
                let parsed = Cookies::parse([pair]);
                prop_assert_eq!(parsed.get(&name, None), Some(value.as_str()));
                // Through the test client's jar and a real request.
                let read = client.post("/get").body(name.clone()).await;
                let read: Option<String> = serde_json::from_str(&read.text()).unwrap();
                prop_assert_eq!(read.as_deref(), Some(value.as_str()), "header {}", header);
                Ok(())
            })
        })
        .unwrap();
}

#[test]
fn every_set_cookie_header_matches_rfc_6265bis() {
    let attributes = (
        proptest::option::of(proptest::option::of(text(12))),
        proptest::option::of(text(12)),
        proptest::option::of(any::<i64>()),
        proptest::option::of(-377_705_116_800i64..=253_402_300_799),
        any::<u8>(),
    );
    runner(2000)
        .run(
            &(cookie_name(), text(16), attributes),
            |(name, value, (path, domain, max_age, expires, flags))| {
                let mut response = make_response("");
                let cookie = if flags & 64 != 0 {
                    response.delete_cookie(name.as_str())
                } else {
                    response.set_cookie(name.as_str(), value.as_str())
                };
                match &path {
                    Some(Some(path)) => {
                        cookie.path(path.as_str());
                    }
                    Some(None) => {
                        cookie.path(None);
                    }
                    None => {}
                }
                if let Some(domain) = &domain {
                    cookie.domain(domain.as_str());
                }
                if let Some(age) = max_age {
                    cookie.max_age(age);
                }
                if let Some(at) = expires {
                    cookie.expires(time::OffsetDateTime::from_unix_timestamp(at).unwrap());
                }
                cookie
                    .secure(flags & 1 != 0)
                    .http_only(flags & 2 != 0)
                    .partitioned(flags & 4 != 0)
                    .same_site(match flags >> 3 & 3 {
                        0 => None,
                        1 => Some(SameSite::Strict),
                        2 => Some(SameSite::Lax),
                        _ => Some(SameSite::None),
                    });
                match cookie.to_header_value() {
                    Ok(header) => {
                        let header = header
                            .to_str()
                            .map_err(|e| TestCaseError::fail(e.to_string()))?;
                        set_cookie_grammar::check(header)
                            .map_err(|e| TestCaseError::fail(format!("{header:?}: {e}")))?;
                    }
                    Err(error) => {
                        prop_assert!(error.is_invalid_cookie());
                        prop_assert!(error.to_string().contains("cookie"), "{}", error);
                    }
                }
                Ok(())
            },
        )
        .unwrap();
}

// Regressions found by the `set_cookie` fuzz target (fuzz/README.md).

#[test]
fn an_empty_domain_is_refused_not_sent_as_an_empty_domain_attribute() {
    for domain in ["", ".", ".:8080", "a..b", "example.com."] {
        let mut response = make_response("");
        let error = response
            .set_cookie("k", "v")
            .domain(domain)
            .to_header_value()
            .unwrap_err();
        assert!(error.is_invalid_cookie(), "{domain:?}: {error}");
        assert!(error.to_string().contains("cookie `k`: domain"), "{error}");
    }
}

#[test]
fn expires_before_year_one_is_written_as_year_one() {
    let mut response = make_response("");
    let year_minus_52 = time::OffsetDateTime::from_unix_timestamp(-63_780_000_000).unwrap();
    let header = response
        .set_cookie("k", "v")
        .expires(year_minus_52)
        .to_header_value()
        .unwrap();
    assert_eq!(header, "k=v; Expires=Mon, 01 Jan 0001 00:00:00 GMT; Path=/");
    // A Max-Age reaching as far back does the same.
    let header = response
        .set_cookie("k", "v")
        .max_age(-65_592_136_800i64)
        .to_header_value()
        .unwrap();
    let header = header.to_str().unwrap();
    assert!(
        header.contains("Expires=Mon, 01 Jan 0001 00:00:00 GMT"),
        "{header}"
    );
    set_cookie_grammar::check(header).unwrap();
}
