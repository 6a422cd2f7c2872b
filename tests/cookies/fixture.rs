//! The Flask conformance fixture: every recorded `set_cookie` and
//! `delete_cookie` call, replayed.

use std::sync::OnceLock;

use phial::prelude::*;
use serde_json::Value;
use time::OffsetDateTime;

use super::Logs;

fn fixture() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let text = include_str!("../fixtures/flask_set_cookie.json");
        serde_json::from_str(text).expect("valid JSON")
    })
}

/// What phial answers where Flask's output is invalid or unsafe.
enum Refusal {
    /// The request fails with 500 and an error log naming the cookie.
    Error,
    /// The call can't be written in Rust: the argument's type is wrong (a
    /// number as value, `secure="yes"`, `samesite="Foo"`, `expires="garbage"`).
    Type,
    /// phial emits a different, valid header (given here).
    Corrected(&'static str),
}

fn refusal(id: &str) -> Option<Refusal> {
    Some(match id {
        // Names that are not RFC 6265 tokens; paths and domains that would
        // break the header (`;`, non-ASCII, IPv6 brackets, `::1`).
        "set-028" | "set-029" | "set-030" | "set-031" | "set-032" | "set-033" | "set-037"
        | "set-061" | "set-062" | "set-070" | "set-071" | "set-073" | "set-099" | "set-102"
        | "set-114" | "set-115" | "set-116" | "del-012" => Refusal::Error,
        "set-025" | "set-026" | "set-027" | "set-044" | "set-045" | "set-054" | "set-078"
        | "set-079" | "set-086" | "set-087" | "set-089" | "del-009" => Refusal::Type,
        // Werkzeug sends 0x1A-0x1F raw (an invalid header); phial escapes them.
        "set-019" => Refusal::Corrected(r#"k="\032"; Path=/"#),
        "set-020" => Refusal::Corrected(r#"k="a\033b\037"; Path=/"#),
        // `Max-Age=1.5` is not a number browsers accept: whole seconds only.
        "set-043" => Refusal::Corrected("k=v; Expires=<NOW+1s>; Max-Age=1; Path=/"),
        _ => return None,
    })
}

fn same_site(value: &Value) -> Option<SameSite> {
    match value.as_str()?.to_ascii_lowercase().as_str() {
        "strict" => Some(SameSite::Strict),
        "lax" => Some(SameSite::Lax),
        "none" => Some(SameSite::None),
        other => panic!("not expressible: samesite={other}"),
    }
}

fn date(value: &Value) -> OffsetDateTime {
    use time::format_description::well_known::Iso8601;
    if let Some(seconds) = value.as_i64() {
        return OffsetDateTime::from_unix_timestamp(seconds).unwrap();
    }
    if let Some(text) = value.as_str() {
        // Flask passes a string through; phial takes a date, so parse it.
        let format = time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        );
        return time::PrimitiveDateTime::parse(text, &format)
            .unwrap()
            .assume_utc();
    }
    if let Some(float) = value.get("$float").and_then(Value::as_f64) {
        return OffsetDateTime::from_unix_timestamp(float as i64).unwrap();
    }
    if let Some(day) = value.get("$date").and_then(Value::as_str) {
        let day = time::Date::parse(day, &Iso8601::DEFAULT).unwrap();
        return day.midnight().assume_utc();
    }
    let text = value["$datetime"].as_str().unwrap();
    if value["naive"].as_bool() == Some(true) {
        // A naive datetime is UTC to Flask.
        let text = format!("{text}Z");
        OffsetDateTime::parse(&text, &Iso8601::DEFAULT).unwrap()
    } else {
        OffsetDateTime::parse(text, &Iso8601::DEFAULT).unwrap()
    }
}

/// Applies a fixture case's keyword arguments with phial's setters.
fn apply(cookie: &mut phial::SetCookie, kwargs: &Value) {
    for (key, value) in kwargs.as_object().unwrap() {
        match key.as_str() {
            "max_age" => {
                if let Some(seconds) = value.as_i64() {
                    cookie.max_age(seconds);
                } else if let Some(s) = value.get("$timedelta_seconds").and_then(Value::as_f64) {
                    cookie.max_age(time::Duration::seconds_f64(s));
                } else if let Some(s) = value.get("$float").and_then(Value::as_f64) {
                    cookie.max_age(time::Duration::seconds_f64(s));
                } else {
                    panic!("not expressible: max_age={value}");
                }
            }
            "expires" => {
                cookie.expires(date(value));
            }
            "path" => {
                cookie.path(value.as_str());
            }
            "domain" => {
                cookie.domain(value.as_str());
            }
            "secure" => {
                cookie.secure(value.as_bool().unwrap());
            }
            "httponly" => {
                cookie.http_only(value.as_bool().unwrap());
            }
            "samesite" => {
                cookie.same_site(same_site(value));
            }
            "partitioned" => {
                cookie.partitioned(value.as_bool().unwrap());
            }
            other => panic!("unknown argument {other}"),
        }
    }
}

fn case(section: &str, index: usize) -> &'static Value {
    &fixture()[section][index]
}

#[route("/set/<int:index>")]
fn set_case(index: usize) -> Response {
    let case = case("set_cookie", index);
    let value = case["value"].as_str().unwrap_or("");
    let mut response = make_response("");
    let cookie = response.set_cookie(case["key"].as_str().unwrap(), value);
    apply(cookie, &case["kwargs"]);
    response
}

#[route("/delete/<int:index>")]
fn delete_case(index: usize) -> Response {
    let case = case("delete_cookie", index);
    let mut response = make_response("");
    let cookie = response.delete_cookie(case["key"].as_str().unwrap());
    apply(cookie, &case["kwargs"]);
    response
}

#[route("/set-then-delete")]
fn set_then_delete() -> Response {
    let mut response = make_response("");
    response.set_cookie("k", "v");
    response.delete_cookie("k");
    response
}

/// A header as `(name=value, sorted attributes)`.
fn parts(header: &str) -> (String, Vec<String>) {
    let mut pieces = header.split("; ");
    let pair = pieces.next().unwrap().to_owned();
    let mut attributes: Vec<String> = pieces.map(str::to_owned).collect();
    attributes.sort();
    (pair, attributes)
}

/// Whether phial's header is Flask's, an `Expires` of "now + N" allowed two
/// seconds of drift.
fn same_cookie(phial: &str, flask: &str, sent_at: OffsetDateTime) -> bool {
    let (pair, mut attributes) = parts(phial);
    let (flask_pair, flask_attributes) = parts(flask);
    for attribute in &mut attributes {
        let Some(date) = attribute.strip_prefix("Expires=") else {
            continue;
        };
        let Some(expected) = flask_attributes.iter().find_map(|a| {
            let rest = a.strip_prefix("Expires=<NOW")?.strip_suffix("s>")?;
            rest.parse::<f64>().ok()
        }) else {
            continue;
        };
        let format = time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        );
        let at = time::PrimitiveDateTime::parse(date, &format)
            .unwrap()
            .assume_utc();
        let offset = (at - sent_at).as_seconds_f64();
        if (offset - expected).abs() <= 2.0 {
            let flask_form = flask_attributes
                .iter()
                .find(|a| a.starts_with("Expires="))
                .unwrap();
            attribute.clone_from(flask_form);
        }
    }
    attributes.sort();
    pair == flask_pair && attributes == flask_attributes
}

/// How many warnings Flask's output would earn from phial.
fn expected_warnings(id: &str) -> usize {
    match id {
        // __Host- without Secure.
        "set-034" => 1,
        // __Secure- without Secure.
        "set-035" => 1,
        // SameSite=None without Secure.
        "set-082" | "set-085" | "set-106" | "del-008" => 1,
        // __Host- without Secure, with a Domain and a path other than `/`.
        "set-094" => 3,
        // A Path not starting with `/`.
        "set-064" => 1,
        _ => 0,
    }
}

#[tokio::test]
async fn flask_set_cookie_fixture() {
    let (logs, _guard) = Logs::capture();
    // Separate apps: phial's deletions reuse what the app set a name with,
    // and Flask's fixture calls each `delete_cookie` on a fresh response.
    let set_client = App::new().route(set_case).test_client();
    let delete_client = App::new().route(delete_case).test_client();
    let (mut matched, mut identical, mut errors, mut types, mut corrected) = (0, 0, 0, 0, 0);
    let mut refused_ids = Vec::new();
    let mut cases = Vec::new();
    for section in ["set_cookie", "delete_cookie"] {
        for (index, case) in fixture()[section].as_array().unwrap().iter().enumerate() {
            if case.get("key").is_some() {
                cases.push((section, index, case));
            }
        }
    }
    for (section, index, case) in &cases {
        let id = case["id"].as_str().unwrap();
        let route = if *section == "set_cookie" {
            "set"
        } else {
            "delete"
        };
        logs.take();
        let refused = refusal(id);
        if matches!(refused, Some(Refusal::Type)) {
            types += 1;
            refused_ids.push(id);
            continue;
        }
        let sent_at = OffsetDateTime::now_utc();
        let client = if *section == "set_cookie" {
            &set_client
        } else {
            &delete_client
        };
        let response = client.get(&format!("/{route}/{index}")).await;
        let log = logs.take();
        let flask: Vec<&str> = case
            .get("headers_normalized")
            .unwrap_or(&case["headers"])
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap())
            .collect();
        match refused {
            Some(Refusal::Error) => {
                assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR, "{id}");
                assert!(response.set_cookie_headers().is_empty(), "{id}");
                assert!(
                    log.contains("ERROR") && log.contains("cookie"),
                    "{id}: {log}"
                );
                let key = case["key"].as_str().unwrap();
                if !key.is_empty() {
                    assert!(
                        log.contains(&format!("{key:?}")) || log.contains(key),
                        "{id}: {log}"
                    );
                }
                errors += 1;
                refused_ids.push(id);
            }
            Some(Refusal::Corrected(expected)) => {
                let headers = response.set_cookie_headers();
                assert_eq!(headers.len(), 1, "{id}");
                assert!(
                    same_cookie(headers[0], expected, sent_at),
                    "{id}: {headers:?}"
                );
                corrected += 1;
                refused_ids.push(id);
            }
            Some(Refusal::Type) => unreachable!(),
            None => {
                assert!(case["ok"].as_bool().unwrap(), "{id}: Flask raised");
                assert_eq!(response.status(), StatusCode::OK, "{id}: {log}");
                let headers = response.set_cookie_headers();
                assert_eq!(headers.len(), flask.len(), "{id}");
                for (phial, flask) in headers.iter().zip(&flask) {
                    assert!(
                        same_cookie(phial, flask, sent_at),
                        "{id}: phial {phial:?} vs Flask {flask:?}"
                    );
                    if phial == flask {
                        identical += 1;
                    }
                }
                let warnings = log.matches(" WARN ").count();
                assert_eq!(warnings, expected_warnings(id), "{id}: {log}");
                matched += 1;
            }
        }
    }
    // Two fixture entries describe sequences rather than single calls.
    let client = App::new().route(set_then_delete).test_client();
    let response = client.get("/set-then-delete").await;
    assert_eq!(
        response.set_cookie_headers(),
        [
            "k=v; Path=/",
            "k=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"
        ]
    );
    matched += 1;
    assert_eq!(client.get_cookie("k"), None, "del-jar-effect");
    matched += 1;

    let total = fixture()["set_cookie"].as_array().unwrap().len()
        + fixture()["delete_cookie"].as_array().unwrap().len();
    let refused = errors + types + corrected;
    println!(
        "Flask fixture: {matched}/{total} matched ({identical} byte-identical headers), \
         {refused} refused on purpose ({errors} answered 500, {types} not expressible in \
         Rust's types, {corrected} corrected): {refused_ids:?}"
    );
    assert_eq!(total, 136);
    assert_eq!(matched + refused, total);
    assert_eq!((matched, errors, types, corrected), (103, 18, 12, 3));
}
