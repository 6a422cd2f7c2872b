//! The `Set-Cookie` formatter (framework/src/cookies/format.rs) through
//! `Response::set_cookie` and `SetCookie::to_header_value`: a cookie is
//! either refused with a clean error or written as a header that matches
//! RFC 6265bis and reads back as the value that was set.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phial::SameSite;

#[path = "../../tests/set_cookie_grammar.rs"]
#[allow(dead_code)]
mod grammar;

// The input is NUL-separated fields, so seeds are readable:
// name, value, path, domain, max-age, expires (Unix seconds), flags
// (1 secure, 2 HttpOnly, 4 partitioned, 8/16/24 SameSite Strict/Lax/None,
// 32 no path). A missing field leaves the attribute unset.
fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.split('\0');
    let name = fields.next().unwrap_or_default();
    let value = fields.next().unwrap_or_default();
    let path = fields.next();
    let domain = fields.next();
    let max_age = fields.next().and_then(|f| f.parse::<i64>().ok());
    let expires = fields.next().and_then(|f| f.parse::<i64>().ok());
    let flags = fields
        .next()
        .and_then(|f| f.parse::<u8>().ok())
        .unwrap_or(0);

    let mut response = phial::make_response("");
    let cookie = response.set_cookie(name, value);
    if let Some(path) = path {
        cookie.path(path);
    }
    if flags & 32 != 0 {
        cookie.path(None);
    }
    if let Some(domain) = domain {
        cookie.domain(domain);
    }
    if let Some(age) = max_age {
        cookie.max_age(age);
    }
    if let Some(at) = expires.and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok()) {
        cookie.expires(at);
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
            let text = header
                .to_str()
                .unwrap_or_else(|_| panic!("not visible ASCII: {header:?}"));
            if let Err(error) = grammar::check(text) {
                panic!("{text:?}: {error}");
            }
            if let Err(error) = grammar::check_strict_value(value, grammar::value_of(text)) {
                panic!("{text:?}: {error}");
            }
            // What a browser sends back (the pair alone) reads as the value set.
            let pair = text.split("; ").next().unwrap_or_default();
            let cookies = phial::Cookies::parse([pair]);
            assert_eq!(cookies.get(name, None), Some(value), "{text:?}");
        }
        Err(error) => assert!(error.is_invalid_cookie(), "{error}"),
    }
});
