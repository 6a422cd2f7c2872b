//! Cookie values through the browser both ways: one phial encodes, one a
//! script writes.

use phial::prelude::*;

use crate::driver::Browser;
use crate::support::Server;

/// `;`, `"`, `\`, a space and an emoji: everything that needs quoting.
const AWKWARD: &str = "a;b \"c\" \\d e \u{1F36A}";

/// Bytes as hex, so the comparison can't be fooled by how a page renders
/// spaces or quotes.
fn hex(text: &str) -> String {
    text.bytes().map(|byte| format!("{byte:02x}")).collect()
}

#[route("/set")]
fn set() -> Response {
    let mut response = make_response("set");
    response.set_cookie("awkward", AWKWARD);
    response
}

/// The hex of cookie `?name=` as `request.cookies.get` reads it.
#[route("/read")]
fn read(request: &Request) -> String {
    match request
        .cookies
        .get_as::<String>(request.args.get("name", ""))
    {
        Some(value) => hex(&value),
        None => "(none)".to_owned(),
    }
}

fn app() -> App {
    App::new().route(set).route(read)
}

pub async fn utf8_value_reads_back_byte_for_byte(browser: Browser) {
    let server = Server::start(app()).await;
    browser.goto(&server.url("/set")).await;
    assert_eq!(
        browser.text_of(&server.url("/read?name=awkward")).await,
        hex(AWKWARD)
    );
    // What the browser holds is phial's (Werkzeug's) quoted form.
    assert_eq!(
        browser.document_cookie().await,
        r#"awkward="a\073b \"c\" \\d e \360\237\215\252""#
    );
    server.shut_down().await;
}

pub async fn script_set_cookie_is_read_by_request_cookies(browser: Browser) {
    let server = Server::start(app()).await;
    browser.goto(&server.url("/read?name=fromjs")).await;
    assert_eq!(browser.text().await, "(none)");
    browser
        .script("document.cookie = 'fromjs=hello world; path=/'")
        .await;
    assert_eq!(
        browser.text_of(&server.url("/read?name=fromjs")).await,
        hex("hello world")
    );
    browser
        .script("document.cookie = 'emoji=caf\u{e9} \u{1F36A}; path=/'")
        .await;
    assert_eq!(
        browser.text_of(&server.url("/read?name=emoji")).await,
        hex("caf\u{e9} \u{1F36A}")
    );
    server.shut_down().await;
}
