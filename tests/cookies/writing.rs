//! Writing and deleting: removals that can't miss, misuse that fails loudly.

use phial::prelude::*;

use super::{login, logout, Logs};

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

#[route("/login-plain")]
fn login_plain() -> Response {
    let mut response = make_response("in");
    response.set_cookie("sid", "plain");
    response
}

fn session_app() -> App {
    App::new()
        .route(login)
        .route(login_plain)
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
async fn delete_cookie_follows_a_later_plain_set_cookie() {
    let client = session_app()
        .test_client()
        .with_base_url("https://localhost");
    client.get("/login").await;
    // The same name set again with the default scope: the removal must
    // now hit that cookie (`Path=/`), not the one set with `/app` before.
    client.get("/login-plain").await;
    let response = client.get("/logout").await;
    assert_eq!(
        response.set_cookie_headers(),
        ["sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"]
    );
    // And back to the scoped one.
    client.get("/login").await;
    let response = client.get("/logout").await;
    assert!(
        response.set_cookie_headers()[0].contains("Path=/app"),
        "{:?}",
        response.set_cookie_headers()
    );
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
