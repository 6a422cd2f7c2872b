//! The seed app (examples/cookies.rs) and the login form of
//! examples/request_data.rs, as a user sees them in Chromium.

use phial::prelude::*;

use crate::driver::Browser;
use crate::support::Server;

#[allow(dead_code)]
#[path = "../../examples/request_data.rs"]
mod request_data;

// The seed example itself, not a copy of it.
#[allow(dead_code)]
#[path = "../../examples/cookies.rs"]
mod cookies_example;

/// The login example as its `#[phial::main]` serves it.
fn request_data_app() -> App {
    App::new().discover(concat!(module_path!(), "::request_data"))
}

/// The seed app as `#[phial::main]` serves it: its module's routes.
fn seed_app() -> App {
    App::new().discover(concat!(module_path!(), "::cookies_example"))
}

pub async fn visiting_index_then_user_says_hello_bob(browser: Browser) {
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
    let server = Server::start(request_data_app()).await;
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
    let server = Server::start(request_data_app()).await;
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
