//! The seed app (examples/cookies.rs) and the login form of
//! examples/request_data.rs, as a user sees them in Chromium.

use phial::prelude::*;

use crate::driver::Browser;
use crate::support::Server;

#[allow(dead_code)]
#[path = "../../examples/request_data.rs"]
mod request_data;

// The seed's handlers, as in examples/cookies.rs (its handlers are private
// to the example, so they can't be borrowed the way request_data's app is);
// `assert_seed_is_the_example` keeps the two the same.
#[route("/")]
async fn index() -> Response {
    let mut response = make_response("Hello, World!");
    response.set_cookie("username", "bob");
    response
}

#[route("/user")]
async fn user(request: &Request) -> String {
    let username = request.cookies.get("username", "Guest");
    format!("Hello, {username}!")
}

fn seed_app() -> App {
    App::new().route(index).route(user)
}

/// The lines of the seed's handlers, which must appear as they are in
/// examples/cookies.rs.
const SEED_LINES: &[&str] = &[
    "#[route(\"/\")]\nasync fn index() -> Response {",
    "    let mut response = make_response(\"Hello, World!\");\n    \
     response.set_cookie(\"username\", \"bob\");\n    response\n}",
    "#[route(\"/user\")]\nasync fn user(request: &Request) -> String {",
    "    let username = request.cookies.get(\"username\", \"Guest\");\n    \
     format!(\"Hello, {username}!\")\n}",
];

fn assert_seed_is_the_example() {
    let example = include_str!("../../examples/cookies.rs");
    let here = include_str!("seed.rs");
    for lines in SEED_LINES {
        assert!(
            example.contains(lines),
            "examples/cookies.rs lacks:\n{lines}"
        );
        assert!(
            here.contains(lines),
            "tests/browser/seed.rs lacks:\n{lines}"
        );
    }
}

pub async fn visiting_index_then_user_says_hello_bob(browser: Browser) {
    assert_seed_is_the_example();
    let server = Server::start(seed_app()).await;
    assert_eq!(browser.text_of(&server.url("/")).await, "Hello, World!");
    assert_eq!(browser.document_cookie().await, "username=bob");
    assert_eq!(browser.text_of(&server.url("/user")).await, "Hello, bob!");
    let png = browser.screenshot("seed-user").await;
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "{} is no PNG", png.display());
    println!("screenshot of /user: {}", png.display());
    server.shut_down().await;
}

pub async fn fresh_profile_says_hello_guest(browser: Browser) {
    let server = Server::start(seed_app()).await;
    assert_eq!(browser.text_of(&server.url("/user")).await, "Hello, Guest!");
    assert_eq!(browser.document_cookie().await, "");
    server.shut_down().await;
}

pub async fn login_form_post_welcomes_admin(browser: Browser) {
    let server = Server::start(request_data::app()).await;
    browser.goto(&server.url("/login")).await;
    browser.fill("input[name=username]", "admin").await;
    browser.fill("input[name=password]", "secret").await;
    browser.click("button").await;
    assert_eq!(browser.text().await, "Welcome, admin!");
    let url = browser.client().current_url().await.unwrap();
    assert_eq!(url.path(), "/login");
    server.shut_down().await;
}

pub async fn login_form_post_refuses_wrong_password(browser: Browser) {
    let server = Server::start(request_data::app()).await;
    browser.goto(&server.url("/login")).await;
    browser.fill("input[name=username]", "admin").await;
    browser.fill("input[name=password]", "guess").await;
    browser.click("button").await;
    assert!(
        browser
            .text()
            .await
            .starts_with("Invalid username/password"),
        "{}",
        browser.text().await
    );
    // The form is shown again, ready for another try.
    browser.fill("input[name=password]", "secret").await;
    browser.fill("input[name=username]", "admin").await;
    browser.click("button").await;
    assert_eq!(browser.text().await, "Welcome, admin!");
    server.shut_down().await;
}
