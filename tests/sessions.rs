//! Signed and private cookies, the secret key and its rotation, and the
//! session stored in a signed cookie: what reads, what reads as absent.

use phial::prelude::*;

use crate::support::Logs;

const KEY: &str = "0123456789abcdef0123456789abcdef-current";
const OLD: &str = "0123456789abcdef0123456789abcdef-previous";

#[route("/set")]
fn set() -> Response {
    let mut response = make_response("set");
    response
        .set_signed_cookie("user", "ann; admin=\"no\"")
        .http_only(true);
    response.set_private_cookie("card", "4242").path("/");
    response
}

#[route("/read")]
fn read(request: &Request) -> String {
    let user = request.cookies.get_signed("user", None).unwrap_or("-");
    let card = request.cookies.get_private("card", "-");
    let count = request.cookies.get_private("count", 0u32);
    format!("{user}|{card}|{count}")
}

#[route("/count")]
fn count_up(request: &Request) -> Response {
    let count = request.cookies.get_private("count", 0u32) + 1;
    let mut response = make_response(count.to_string());
    response.set_private_cookie("count", count.to_string());
    response
}

#[route("/plain")]
fn plain() -> &'static str {
    "nothing read"
}

#[route("/visit")]
fn visit(request: &Request) -> String {
    let visits = request.session.get("visits", 0u32) + 1;
    request.session.insert("visits", visits);
    visits.to_string()
}

#[route("/peek")]
fn peek(request: &Request) -> String {
    format!(
        "{}|{:?}|{}",
        request.session.get("visits", 0u32),
        request.session.get("name", None::<String>),
        request.session.len()
    )
}

#[route("/login/<name>")]
fn login(name: &str, request: &Request) -> &'static str {
    request.session.insert("name", name);
    request.session.insert("roles", vec!["reader", "writer"]);
    "ok"
}

#[route("/whoami")]
fn whoami(request: &Request) -> String {
    let roles: Vec<String> = request.session.get("roles", Vec::new());
    format!(
        "{}:{}",
        request.session.get("name", "anonymous"),
        roles.join(",")
    )
}

#[route("/logout")]
fn logout(request: &Request) -> &'static str {
    request.session.clear();
    "bye"
}

#[route("/big")]
fn big(request: &Request) -> &'static str {
    request.session.insert("blob", "x".repeat(5000));
    "big"
}

fn app_with(key: &str) -> App {
    App::new().secret_key(key).routes(routes![
        set, read, count_up, plain, visit, peek, login, whoami, logout, big
    ])
}

fn app() -> App {
    app_with(KEY)
}

#[tokio::test]
async fn signed_and_private_cookies_read_back() {
    let client = app().test_client();
    let response = client.get("/set").await;
    let user = client.get_cookie("user").unwrap();
    assert!(user.starts_with("ann; admin=\"no\"."), "{user}");
    let card = client.get_cookie("card").unwrap();
    assert!(
        !card.contains("4242"),
        "private values are unreadable: {card}"
    );
    assert!(response.set_cookie_headers()[0].contains("HttpOnly"));
    assert_eq!(client.get("/read").await.text(), "ann; admin=\"no\"|4242|0");
    assert_eq!(client.get("/count").await.text(), "1");
    assert_eq!(client.get("/count").await.text(), "2");
}

#[tokio::test]
async fn tampered_truncated_and_unsigned_values_read_as_absent() {
    let client = app().test_client();
    client.get("/set").await;
    let user = client.get_cookie("user").unwrap();
    let card = client.get_cookie("card").unwrap();
    let flip = |text: &str, at: usize| {
        let mut bytes = text.as_bytes().to_vec();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    };
    for at in [0, 3, user.len() - 1, user.len() - 20] {
        client.set_cookie("user", &flip(&user, at));
        assert!(
            client.get("/read").await.text().starts_with("-|"),
            "flip {at}"
        );
    }
    for at in [0, card.len() / 2, card.len() - 1] {
        client.set_cookie("user", &user);
        client.set_cookie("card", &flip(&card, at));
        assert_eq!(client.get("/read").await.text(), "ann; admin=\"no\"|-|0");
    }
    client.set_cookie("card", &card[..card.len() - 4]);
    client.set_cookie("user", &user[..user.len() - 1]);
    assert_eq!(client.get("/read").await.text(), "-|-|0");
    // The raw value is never returned for an unsigned cookie.
    client.set_cookie("user", "ann");
    client.set_cookie("card", "4242");
    assert_eq!(client.get("/read").await.text(), "-|-|0");
    client.set_cookie("user", "");
    client.set_cookie("card", "");
    assert_eq!(client.get("/read").await.text(), "-|-|0");
}

#[tokio::test]
async fn values_swapped_between_kinds_or_names_read_as_absent() {
    let client = app().test_client();
    client.get("/set").await;
    let user = client.get_cookie("user").unwrap();
    let card = client.get_cookie("card").unwrap();
    // A signed value in a private cookie, a private value in a signed one.
    client.set_cookie("user", &card);
    client.set_cookie("card", &user);
    assert_eq!(client.get("/read").await.text(), "-|-|0");
    // A value signed (or encrypted) for one name, sent under another.
    client.get("/count").await;
    let count = client.get_cookie("count").unwrap();
    client.set_cookie("card", &count);
    assert_eq!(client.get("/read").await.text(), "-|-|1");
}

#[tokio::test]
async fn another_apps_key_does_not_verify() {
    let one = app().test_client();
    one.get("/set").await;
    let other = app_with("another key, also 32 bytes or more!!").test_client();
    other.set_cookie("user", &one.get_cookie("user").unwrap());
    other.set_cookie("card", &one.get_cookie("card").unwrap());
    assert_eq!(other.get("/read").await.text(), "-|-|0");
}

#[tokio::test]
async fn fallback_keys_read_and_the_current_key_writes() {
    let old = app_with(OLD).test_client();
    old.get("/visit").await;
    old.get("/count").await;
    let session = old.get_cookie("session").unwrap();
    let count = old.get_cookie("count").unwrap();

    let rotated = app().secret_key_fallbacks([OLD]).test_client();
    rotated.set_cookie("session", &session);
    rotated.set_cookie("count", &count);
    assert_eq!(rotated.get("/visit").await.text(), "2");
    assert_eq!(rotated.get("/count").await.text(), "2");
    // Written back with the current key: reads without the fallback.
    let fresh = app().test_client();
    fresh.set_cookie("session", &rotated.get_cookie("session").unwrap());
    fresh.set_cookie("count", &rotated.get_cookie("count").unwrap());
    assert_eq!(fresh.get("/visit").await.text(), "3");
    assert_eq!(fresh.get("/count").await.text(), "3");

    // A value signed by a key that was removed: replayed, it reads as absent.
    let removed = app().test_client();
    removed.set_cookie("session", &session);
    removed.set_cookie("count", &count);
    assert_eq!(removed.get("/visit").await.text(), "1");
    assert_eq!(removed.get("/count").await.text(), "1");
}

#[test]
#[should_panic(expected = "at least 32 bytes")]
fn a_short_secret_key_is_refused_with_how_to_make_one() {
    let _ = App::new().secret_key("too short");
}

#[test]
fn the_short_key_message_says_how_to_make_one() {
    let panic = std::panic::catch_unwind(|| App::new().secret_key_fallbacks(["short"]))
        .err()
        .unwrap();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("--example secret_key"), "{message}");
    assert!(message.contains("generate_secret_key"), "{message}");
}

#[test]
fn generated_keys_are_long_random_hex() {
    let key = phial::generate_secret_key();
    assert_eq!(key.len(), 64);
    assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(key, phial::generate_secret_key());
    let _ = App::new().secret_key(key);
}

#[tokio::test]
async fn session_survives_requests_and_is_written_only_when_modified() {
    let client = app().test_client();
    let first = client.get("/visit").await;
    assert_eq!(first.text(), "1");
    let cookie = first.set_cookie_headers()[0].to_owned();
    assert!(cookie.starts_with("session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Max-Age"), "not permanent: {cookie}");
    assert_eq!(client.get("/visit").await.text(), "2");
    let peeked = client.get("/peek").await;
    assert_eq!(peeked.text(), "2|None|1");
    assert!(
        peeked.set_cookie_headers().is_empty(),
        "read only: not written"
    );
}

#[tokio::test]
async fn session_values_are_any_serde_type() {
    let client = app().test_client();
    assert_eq!(client.get("/whoami").await.text(), "anonymous:");
    client.get("/login/ann").await;
    assert_eq!(client.get("/whoami").await.text(), "ann:reader,writer");
    assert_eq!(client.get("/peek").await.text(), "0|Some(\"ann\")|2");
}

#[tokio::test]
async fn clearing_the_session_deletes_its_cookie() {
    let client = app().test_client();
    client.get("/login/ann").await;
    let response = client.get("/logout").await;
    let removal = response.set_cookie_headers()[0].to_owned();
    assert!(removal.starts_with("session=;"), "{removal}");
    assert!(removal.contains("Max-Age=0"), "{removal}");
    // With the cookie's attributes, as Flask's removal.
    assert!(removal.contains("; HttpOnly; Path=/"), "{removal}");
    assert_eq!(client.get_cookie("session"), None);
    assert_eq!(client.get("/whoami").await.text(), "anonymous:");
    // Clearing an absent session sends nothing.
    assert!(client.get("/logout").await.set_cookie_headers().is_empty());
}

#[tokio::test]
async fn a_tampered_session_reads_as_empty() {
    let client = app().test_client();
    client.get("/login/ann").await;
    let session = client.get_cookie("session").unwrap();
    let (payload, mac) = session.rsplit_once('.').unwrap();
    let forged = format!("{}.{mac}", payload.replacen('e', "f", 1));
    for value in [
        forged.as_str(),
        &session[..session.len() - 1],
        &session[1..],
        payload,
        "",
        "garbage.AAAA",
    ] {
        client.set_cookie("session", value);
        assert_eq!(client.get("/whoami").await.text(), "anonymous:", "{value}");
    }
    // A signed cookie of another name in the session's place.
    client.get("/set").await;
    client.set_cookie("session", &client.get_cookie("user").unwrap());
    assert_eq!(client.get("/whoami").await.text(), "anonymous:");
    // A well-signed session under another cookie name means nothing.
    client.set_cookie("session", "");
    client.set_cookie("user", &session);
    assert_eq!(client.get("/read").await.text(), "-|4242|0");
}

#[tokio::test]
async fn vary_cookie_is_added_when_the_session_or_a_cookie_was_read() {
    let client = app().test_client();
    assert_eq!(client.get("/plain").await.header("vary"), None);
    assert_eq!(client.get("/peek").await.header("vary"), Some("Cookie"));
    assert_eq!(client.get("/visit").await.header("vary"), Some("Cookie"));
    assert_eq!(client.get("/read").await.header("vary"), Some("Cookie"));
    // Not added twice.
    let response = client.get("/visit").await;
    assert_eq!(response.headers().get_all("vary").iter().count(), 1);
}

#[tokio::test]
async fn a_session_cookie_over_4096_bytes_is_logged_as_an_error() {
    let (logs, _capturing) = Logs::capture();
    let client = app().test_client();
    let response = client.get("/big").await;
    assert_eq!(response.status(), StatusCode::OK);
    let line = logs.wait_for("cookie `session`").await;
    assert!(line.contains("ERROR"), "{line}");
    assert!(line.contains("4096"), "{line}");
}

#[tokio::test]
async fn session_cookie_attributes_are_configurable() {
    let app = app()
        .session_cookie_name("sid")
        .session_cookie_domain("example.com")
        .session_cookie_path("/app")
        .session_cookie_secure(true)
        .session_cookie_http_only(false)
        .session_cookie_same_site(SameSite::Strict);
    let client = app.test_client();
    let cookie = client.get("/visit").await.set_cookie_headers()[0].to_owned();
    assert!(cookie.starts_with("sid="), "{cookie}");
    for attribute in [
        "Domain=example.com",
        "Path=/app",
        "Secure",
        "SameSite=Strict",
    ] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("HttpOnly"), "{cookie}");
}

#[tokio::test]
async fn signed_cookies_over_a_real_socket() {
    let server = crate::support::Server::start(app()).await;
    let first = crate::support::exchange(
        server.addr,
        "GET /visit HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    let cookie = first
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: "))
        .unwrap_or_else(|| panic!("{first}"))
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(first.contains("vary: Cookie"), "{first}");
    let second = crate::support::exchange(
        server.addr,
        format!("GET /visit HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert!(second.ends_with("\r\n\r\n2"), "{second}");
    server.shut_down().await;
}
