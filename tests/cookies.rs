//! Cookies end to end: hostile `Cookie` headers, the Flask conformance
//! fixture, the test client's jar, the examples, and a real socket with a
//! real client's cookie store.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use phial::prelude::*;
use serde_json::Value;
use time::OffsetDateTime;

#[allow(dead_code)]
#[path = "../examples/preferences.rs"]
mod preferences;
#[allow(dead_code)]
#[path = "../examples/visits.rs"]
mod visits;

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
// Reading: hostile Cookie headers through the whole request path.

fn dump(request: &Request) -> String {
    let pairs: Vec<_> = request.cookies.iter().collect();
    format!("{pairs:?}")
}

#[route("/echo")]
fn echo(request: &Request) -> String {
    dump(request)
}

#[route("/typed")]
fn typed(request: &Request) -> String {
    format!(
        "{} {:?} {} {} {}",
        request.cookies.get("name", "Guest"),
        request.cookies.get("missing", None),
        request.cookies.get("n", 0u32),
        request.cookies.get("bad", 7u32),
        request.cookies.len(),
    )
}

async fn echo_of(headers: &[&str]) -> String {
    let client = App::new().route(echo).test_client();
    let mut request = client.get("/echo");
    for header in headers {
        request = request.header("cookie", header);
    }
    let response = request.await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text()
}

#[tokio::test]
async fn get_follows_the_default_type() {
    let client = App::new().route(typed).test_client();
    let response = client
        .get("/typed")
        .header("cookie", "name=bob; n=42; bad=x; n=1")
        .await;
    assert_eq!(response.text(), "bob None 42 7 4");
    assert_eq!(client.get("/typed").await.text(), "Guest None 0 7 0");
}

#[tokio::test]
async fn cookie_sandwich_yields_three_pairs() {
    assert_eq!(
        echo_of(&[r#"a="x; __Host-sid=evil; c=y""#]).await,
        r#"[("a", "\"x"), ("__Host-sid", "evil"), ("c", "y\"")]"#
    );
}

#[tokio::test]
async fn unicode_whitespace_is_not_trimmed_from_names() {
    assert_eq!(
        echo_of(&["\u{2000}__Host-x=1; \u{85}y=2"]).await,
        r#"[("\u{2000}__Host-x", "1"), ("\u{85}y", "2")]"#
    );
}

#[tokio::test]
async fn nameless_pairs_are_skipped() {
    // CVE-2023-23934: `=__Host-x=1` must not read as a `__Host-x` cookie.
    assert_eq!(
        echo_of(&["=v; =__Host-x=1; bare; a=1"]).await,
        r#"[("a", "1")]"#
    );
}

#[tokio::test]
async fn first_duplicate_wins_and_every_header_is_read() {
    let client = App::new().route(typed).test_client();
    let response = client
        .get("/typed")
        .header("cookie", "name=specific")
        .header("cookie", "name=general; n=3")
        .await;
    assert_eq!(response.text(), "specific None 3 7 3");
}

#[tokio::test]
async fn flask_quoted_values_read_back_exactly() {
    assert_eq!(
        echo_of(&[r#"a="caf\303\251"; b="a\"b\\c"; c="x\073y\054z"; d=" sp ""#]).await,
        r#"[("a", "café"), ("b", "a\"b\\c"), ("c", "x;y,z"), ("d", " sp ")]"#
    );
}

#[tokio::test]
async fn raw_utf8_reads_as_utf8() {
    assert_eq!(
        echo_of(&["emoji=😀; lang=français"]).await,
        r#"[("emoji", "😀"), ("lang", "français")]"#
    );
}

#[tokio::test]
async fn at_most_3000_pairs_are_read() {
    let header = (0..3500)
        .map(|i| format!("k{i}=v"))
        .collect::<Vec<_>>()
        .join("; ");
    let client = App::new().route(typed).test_client();
    let response = client.get("/typed").header("cookie", &header).await;
    assert_eq!(response.text(), "Guest None 0 7 3000");
}

// ---------------------------------------------------------------------------
// The Flask conformance fixture.

fn fixture() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let text = include_str!("fixtures/flask_set_cookie.json");
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
        | "set-061" | "set-062" | "set-070" | "set-073" | "set-099" | "set-102" | "set-114"
        | "set-115" | "set-116" | "del-012" => Refusal::Error,
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
    assert_eq!((matched, errors, types, corrected), (104, 17, 12, 3));
}

// ---------------------------------------------------------------------------
// Deleting: a removal that can't miss.

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

#[route("/logout-root")]
fn logout_root() -> Response {
    let mut response = make_response("out");
    response.delete_cookie("sid").path("/").secure(false);
    response
}

#[route("/relogin")]
fn relogin() -> Response {
    let mut response = make_response("again");
    response.set_cookie("sid", "new").path("/app").secure(true);
    response.delete_cookie("other");
    response.delete_cookie("sid");
    response
}

fn session_app() -> App {
    App::new()
        .route(login)
        .route(logout)
        .route(logout_root)
        .route(relogin)
}

#[tokio::test]
async fn delete_cookie_reuses_what_the_app_set() {
    let client = session_app()
        .test_client()
        .with_base_url("https://localhost");
    // Before any set_cookie, the removal is Flask's default, and always sent.
    let response = client.get("/logout").await;
    assert_eq!(
        response.set_cookie_headers(),
        ["sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"]
    );
    client.get("/login").await;
    assert_eq!(client.get_cookie("sid").as_deref(), Some("abc"));
    let response = client.get("/logout").await;
    assert_eq!(
        response.set_cookie_headers(),
        [
            "sid=; Domain=localhost; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; \
          Secure; Path=/app; SameSite=Strict"
        ]
    );
    assert_eq!(client.get_cookie("sid"), None);
}

#[tokio::test]
async fn delete_cookie_setters_override_what_is_reused() {
    let client = session_app().test_client();
    client.get("/login").await;
    let response = client.get("/logout-root").await;
    assert_eq!(
        response.set_cookie_headers(),
        [
            "sid=; Domain=localhost; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; \
          Path=/; SameSite=Strict"
        ]
    );
}

#[tokio::test]
async fn delete_cookie_reuses_the_same_response_first() {
    let client = session_app().test_client();
    client.get("/login").await;
    let response = client.get("/relogin").await;
    assert_eq!(
        response.set_cookie_headers(),
        [
            "sid=new; Secure; Path=/app",
            "other=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
            "sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; Path=/app",
        ]
    );
}

// ---------------------------------------------------------------------------
// Writing: warnings and misuse through a real dispatch.

#[route("/misuse")]
fn misuse() -> Response {
    let mut response = make_response("never sent");
    response.set_cookie("ok", "1");
    response.set_cookie("a;b", "v");
    response
}

#[route("/dropped")]
fn dropped() -> Response {
    let mut response = make_response("sent with warnings");
    response.set_cookie("big", "x".repeat(5000));
    response.set_cookie("__Host-sid", "v").path("/x");
    response
        .set_cookie("long", "v")
        .max_age(time::Duration::days(401));
    response
}

#[tokio::test]
async fn invalid_names_are_a_500_naming_the_cookie_and_rule() {
    let (logs, _guard) = Logs::capture();
    let client = App::new().route(misuse).route(dropped).test_client();
    let response = client.get("/misuse").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.set_cookie_headers().is_empty());
    let log = logs.take();
    assert!(
        log.contains(r#"cookie name "a;b" is not an RFC 6265 token"#),
        "{log}"
    );

    let response = client.get("/dropped").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.set_cookie_headers().len(), 3);
    let log = logs.take();
    assert!(log.contains("cookie `big`: it is over 4096 bytes"), "{log}");
    assert!(
        log.contains("cookie `__Host-sid`: a `__Host-` cookie without Secure"),
        "{log}"
    );
    assert!(
        log.contains("cookie `__Host-sid`: a `__Host-` cookie with a path other"),
        "{log}"
    );
    assert!(
        log.contains("cookie `long`: Max-Age is beyond 400 days"),
        "{log}"
    );
}

#[test]
fn to_header_value_reports_invalid_cookies() {
    let mut response = make_response("");
    let error = response
        .set_cookie("k", "v")
        .domain("wrong;bad.abc")
        .to_header_value()
        .unwrap_err();
    assert!(error.is_invalid_cookie());
    assert!(error.to_string().contains("cookie `k`: domain"), "{error}");
}

// ---------------------------------------------------------------------------
// The test client's jar.

#[route("/paths")]
fn paths() -> Response {
    let mut response = make_response("");
    response.set_cookie("id", "root");
    response.set_cookie("id", "app").path("/app");
    response.set_cookie("short", "1").max_age(60);
    response.set_cookie("secure", "1").secure(true);
    response
}

#[route("/app/echo")]
fn app_echo(request: &Request) -> String {
    dump(request)
}

#[tokio::test]
async fn jar_sends_the_most_specific_path_first() {
    let client = App::new()
        .route(paths)
        .route(echo)
        .route(app_echo)
        .test_client();
    client.get("/paths").await;
    assert_eq!(
        client.get("/app/echo").await.text(),
        r#"[("id", "app"), ("id", "root"), ("short", "1")]"#
    );
    assert_eq!(
        client.get("/echo").await.text(),
        r#"[("id", "root"), ("short", "1")]"#
    );
    assert_eq!(client.get_cookie("id").as_deref(), Some("app"));
}

#[tokio::test]
async fn jar_honours_max_age_and_the_scheme() {
    let app = App::new().route(paths).route(echo);
    let client = app.test_client();
    client.get("/paths").await;
    assert_eq!(
        client.get_cookie("secure"),
        None,
        "Secure over http is refused"
    );
    client.advance_clock(Duration::from_secs(61));
    assert_eq!(client.get_cookie("short"), None);
    assert_eq!(client.get("/echo").await.text(), r#"[("id", "root")]"#);

    let https = app.test_client().with_base_url("https://localhost");
    https.get("/paths").await;
    assert_eq!(https.get_cookie("secure").as_deref(), Some("1"));
    assert_eq!(
        https.get("/echo").await.text(),
        r#"[("id", "root"), ("short", "1"), ("secure", "1")]"#
    );
}

#[tokio::test]
async fn jar_replaces_deletes_and_clears() {
    let client = App::new()
        .route(echo)
        .route(logout)
        .route(login)
        .test_client();
    client.set_cookie("sid", "one");
    client.set_cookie("sid", "two; with spaces");
    client.set_cookie("theme", "dark");
    assert_eq!(
        client.get("/echo").await.text(),
        r#"[("sid", "two; with spaces"), ("theme", "dark")]"#
    );
    client.get("/logout").await;
    assert_eq!(client.get("/echo").await.text(), r#"[("theme", "dark")]"#);
    client.clear_cookies();
    assert_eq!(client.get("/echo").await.text(), "[]");
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

#[tokio::test]
async fn any_utf8_value_round_trips_through_the_test_client() {
    let client = App::new().route(roundtrip).route(read).test_client();
    for value in ROUND_TRIP {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("v", value)
            .finish();
        client.get(&format!("/roundtrip?{query}")).await;
        assert_eq!(client.get("/read").await.text(), value);
        assert_eq!(client.get_cookie("v").as_deref(), Some(value));
    }
}

// ---------------------------------------------------------------------------
// The examples.

#[tokio::test]
async fn preferences_example_saves_and_forgets_the_theme() {
    let client = preferences::app().test_client();
    assert!(client.get("/").await.text().contains("Theme: light"));
    let response = client.post("/theme").form(&[("theme", "dark")]).await;
    let header = response.set_cookie_headers()[0].to_owned();
    assert!(header.starts_with("theme=dark; Expires="), "{header}");
    assert!(
        header.ends_with("; Max-Age=31536000; HttpOnly; Path=/; SameSite=Lax"),
        "{header}"
    );
    assert!(client.get("/").await.text().contains("Theme: dark"));
    let response = client.post("/theme").form(&[("theme", "neon")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = client.post("/forget").await;
    assert_eq!(
        response.set_cookie_headers(),
        ["theme=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"]
    );
    assert!(client.get("/").await.text().contains("Theme: light"));
    assert_eq!(client.get_cookie("theme"), None);
}

#[tokio::test]
async fn visits_example_counts_with_a_typed_cookie() {
    let client = visits::app().test_client();
    for n in 1..=3 {
        let text = client.get("/").await.text();
        assert_eq!(text, format!("You have been here {n} time(s)."));
    }
    client.set_cookie("visits", "not a number");
    assert_eq!(
        client.get("/").await.text(),
        "You have been here 1 time(s)."
    );
    client.get("/reset").await;
    assert_eq!(client.get_cookie("visits"), None);
    client.advance_clock(Duration::from_secs(31 * 24 * 60 * 60));
    client.get("/").await;
    client.advance_clock(Duration::from_secs(31 * 24 * 60 * 60));
    assert_eq!(
        client.get("/").await.text(),
        "You have been here 1 time(s)."
    );
}

// ---------------------------------------------------------------------------
// A real socket, a real client with its own cookie store.

async fn serve(app: App) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.serve_with_shutdown(listener, async {
        stopped.await.ok();
    }));
    (base, stop)
}

#[tokio::test]
async fn utf8_values_round_trip_over_a_real_socket() {
    let (base, stop) = serve(App::new().route(roundtrip).route(read)).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    for value in ROUND_TRIP {
        let set = client
            .get(format!("{base}/roundtrip"))
            .query(&[("v", value)])
            .send()
            .await
            .unwrap();
        assert_eq!(set.status(), 200);
        let reply = client.get(format!("{base}/read")).send().await.unwrap();
        assert_eq!(reply.text().await.unwrap(), value, "{value:?}");
    }
    stop.send(()).unwrap();
}

#[tokio::test]
async fn seed_app_over_a_real_socket_with_a_cookie_store() {
    let (base, stop) = serve(visits::app().route(echo)).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    for n in 1..=2 {
        let text = client
            .get(&base)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(text, format!("You have been here {n} time(s)."));
    }
    client.get(format!("{base}/reset")).send().await.unwrap();
    let text = client
        .get(&base)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(text, "You have been here 1 time(s).");
    stop.send(()).unwrap();
}

#[tokio::test]
async fn hostile_raw_bytes_over_a_real_socket_never_fail_the_request() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (base, stop) = serve(App::new().route(echo)).await;
    let addr = base.trim_start_matches("http://");
    let mut request = Vec::new();
    request.extend_from_slice(b"GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    request.extend_from_slice(b"Cookie: bad=\xff\xfe; ok=1; =evil; \xc3\xa9=\xc3\xa9\r\n");
    request.extend_from_slice(b"Cookie: q=\"\\377\"; sandwich=\"a; b=c\"\r\n\r\n");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.ends_with(r#"[("ok", "1"), ("é", "é"), ("sandwich", "\"a"), ("b", "c\"")]"#),
        "{response}"
    );
    stop.send(()).unwrap();
}
