//! The debug page in a real browser: readable, its folded frames open on
//! a click, and a screenshot kept as an artifact
//! (`target/browser-tests/debug-page.png`).

use phial::prelude::*;

use crate::driver::Browser;
use crate::support::Server;

#[get("/items/<int:id>")]
fn item(id: usize) -> String {
    let items = ["apple", "pear"];
    items[id].to_owned() // panics past the end, as a new user's code might
}

pub async fn debug_page_shows_the_failing_line_and_the_request(browser: Browser) {
    let server = Server::start(App::new().debug(true).route(item)).await;
    browser.goto(&server.url("/items/7?color=red")).await;
    let text = browser.text().await;
    assert!(text.contains("panic: index out of bounds"), "{text}");
    assert!(text.contains("Your code"), "{text}");
    assert!(
        text.contains("items[id].to_owned()"),
        "the failing line: {text}"
    );
    assert!(text.contains("/items/<int:id>"), "the route: {text}");
    assert!(text.contains("color"), "the query: {text}");
    let png = browser.screenshot("debug-page").await;
    assert!(
        std::fs::metadata(&png).unwrap().len() > 1000,
        "{}",
        png.display()
    );
    server.shut_down().await;
}
