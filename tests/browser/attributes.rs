//! Cookie attributes set by phial, as Chromium keeps and sends them:
//! `HttpOnly`, `Path`, `Max-Age`, `Expires`, and `delete_cookie`.

use std::time::Duration;

use phial::prelude::*;

use crate::driver::Browser;
use crate::support::Server;

/// The cookies a request carried, as `name=value; ...` in the order sent,
/// or `(none)`: what the server saw.
pub fn listing(request: &Request) -> String {
    let pairs: Vec<String> = request
        .cookies
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    if pairs.is_empty() {
        "(none)".to_owned()
    } else {
        pairs.join("; ")
    }
}

#[route("/show", methods = ["GET", "POST"])]
fn show(request: &Request) -> String {
    listing(request)
}

#[route("/admin/x")]
fn admin_x(request: &Request) -> String {
    listing(request)
}

#[route("/set-http-only")]
fn set_http_only() -> Response {
    let mut response = make_response("set");
    response.set_cookie("hidden", "1").http_only(true);
    response.set_cookie("visible", "1");
    response
}

#[route("/set-path")]
fn set_path() -> Response {
    let mut response = make_response("set");
    response.set_cookie("admin", "1").path("/admin");
    response
}

#[route("/set-max-age")]
fn set_max_age() -> Response {
    let mut response = make_response("set");
    response.set_cookie("brief", "1").max_age(1);
    response
}

#[route("/set-expired")]
fn set_expired() -> Response {
    let mut response = make_response("set");
    response
        .set_cookie("old", "1")
        .expires(time::macros::datetime!(2000-01-01 0:00 UTC));
    response.set_cookie("fresh", "1");
    response
}

#[route("/set-plain")]
fn set_plain() -> Response {
    let mut response = make_response("set");
    response.set_cookie("plain", "1");
    response.set_cookie("other", "1");
    response
}

#[route("/delete-plain")]
fn delete_plain() -> Response {
    let mut response = make_response("deleted");
    response.delete_cookie("plain");
    response
}

/// Sets a cookie scoped to `/admin` from a handler under that path.
#[route("/admin/login")]
fn admin_login() -> Response {
    let mut response = make_response("logged in");
    response.set_cookie("admin", "1").path("/admin");
    response
}

/// Deletes it from outside `/admin`, naming no path: phial reuses the one
/// the cookie was set with.
#[route("/logout")]
fn logout() -> Response {
    let mut response = make_response("logged out");
    response.delete_cookie("admin");
    response
}

fn app() -> App {
    App::new()
        .route(show)
        .route(admin_x)
        .route(set_http_only)
        .route(set_path)
        .route(set_max_age)
        .route(set_expired)
        .route(set_plain)
        .route(delete_plain)
        .route(admin_login)
        .route(logout)
}

pub async fn http_only_cookie_is_sent_but_hidden_from_scripts(browser: Browser) {
    let server = Server::start(app()).await;
    browser.goto(&server.url("/set-http-only")).await;
    assert_eq!(
        browser.text_of(&server.url("/show")).await,
        "hidden=1; visible=1"
    );
    assert_eq!(browser.document_cookie().await, "visible=1");
    server.shut_down().await;
}

pub async fn path_cookie_is_sent_only_under_its_path(browser: Browser) {
    let server = Server::start(app()).await;
    browser.goto(&server.url("/set-path")).await;
    assert_eq!(browser.text_of(&server.url("/admin/x")).await, "admin=1");
    assert_eq!(browser.document_cookie().await, "admin=1");
    assert_eq!(browser.text_of(&server.url("/show")).await, "(none)");
    assert_eq!(browser.document_cookie().await, "");
    server.shut_down().await;
}

pub async fn max_age_cookie_is_gone_after_it_expires(browser: Browser) {
    let server = Server::start(app()).await;
    browser.goto(&server.url("/set-max-age")).await;
    assert_eq!(browser.text_of(&server.url("/show")).await, "brief=1");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(browser.text_of(&server.url("/show")).await, "(none)");
    assert_eq!(browser.document_cookie().await, "");
    server.shut_down().await;
}

pub async fn expires_in_the_past_is_never_stored(browser: Browser) {
    let server = Server::start(app()).await;
    browser.goto(&server.url("/set-expired")).await;
    assert_eq!(browser.document_cookie().await, "fresh=1");
    assert_eq!(browser.text_of(&server.url("/show")).await, "fresh=1");
    server.shut_down().await;
}

pub async fn delete_cookie_removes_it(browser: Browser) {
    let server = Server::start(app()).await;
    browser.goto(&server.url("/set-plain")).await;
    assert_eq!(
        browser.text_of(&server.url("/show")).await,
        "plain=1; other=1"
    );
    browser.goto(&server.url("/delete-plain")).await;
    assert_eq!(browser.text_of(&server.url("/show")).await, "other=1");
    assert_eq!(browser.document_cookie().await, "other=1");
    server.shut_down().await;
}

pub async fn delete_cookie_from_another_path_removes_a_path_cookie(browser: Browser) {
    let server = Server::start(app()).await;
    browser.goto(&server.url("/admin/login")).await;
    assert_eq!(browser.text_of(&server.url("/admin/x")).await, "admin=1");
    assert_eq!(browser.text_of(&server.url("/logout")).await, "logged out");
    assert_eq!(browser.text_of(&server.url("/admin/x")).await, "(none)");
    server.shut_down().await;
}
