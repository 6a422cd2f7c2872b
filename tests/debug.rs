//! Debug mode: off by default, and when on, a 500 page that explains.

use phial::prelude::*;

#[get("/boom")]
fn boom(request: &Request) -> &'static str {
    let _ = request;
    panic!("the <widget> broke")
}

#[tokio::test]
async fn debug_pages_show_the_panic_its_location_and_the_request() {
    let client = App::new().debug(true).route(boom).test_client();
    let response = client
        .get("/boom?x=1")
        .header("Cookie", "session=abc")
        .header("X-Custom", "<hi>")
        .await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = response.text();
    assert!(html.contains("panic: the &lt;widget&gt; broke"), "{html}");
    assert!(html.contains("debug.rs:"), "location: {html}");
    // The failing line, from the source file, marked.
    assert!(
        html.contains("<span class=hit>&gt;")
            && html.contains("panic!(&#34;the &lt;widget&gt; broke&#34;)"),
        "source excerpt: {html}"
    );
    // The app's frames first; std's, tokio's and phial's folded away.
    assert!(html.contains("<h2>Your code</h2>"), "{html}");
    assert!(html.contains("<details><summary>"), "{html}");
    assert!(
        html.contains("<tr><th>method</th><td>GET</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><th>URL</th><td>/boom?x=1</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><th>route</th><td>/boom</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><th>handler</th><td>boom</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><th>x</th><td>1</td></tr>"),
        "query: {html}"
    );
    // Empty sections say so.
    assert!(
        html.contains("<h2>Form fields</h2>\n<p class=none>none</p>"),
        "{html}"
    );
    // The copy-paste view: the same page as text.
    assert!(
        html.contains("<textarea readonly>panic: the &lt;widget&gt; broke"),
        "{html}"
    );
    assert!(
        html.contains("x-custom") && html.contains("&lt;hi&gt;"),
        "{html}"
    );
    assert!(html.contains("<th>session</th><td>abc</td>"), "{html}");
}

#[tokio::test]
async fn without_debug_the_500_page_reveals_nothing() {
    let client = App::new().debug(false).route(boom).test_client();
    let response = client.get("/boom").header("Cookie", "session=abc").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = response.text();
    assert!(!html.contains("widget"), "{html}");
    assert!(!html.contains("abc"), "{html}");
    assert!(html.contains("<h1>Internal Server Error</h1>"));
}

#[get("/later")]
async fn later() -> &'static str {
    tokio::task::yield_now().await;
    panic!("async <boom>")
}

#[get("/hooked")]
fn hooked() -> &'static str {
    "never reached"
}

#[tokio::test]
async fn async_handlers_and_hooks_get_their_source_too() {
    let client = App::new()
        .debug(true)
        .route(later)
        .route(hooked)
        .before_request(|request| -> Option<&'static str> {
            if request.path() == "/hooked" {
                panic!("hook <failed>");
            }
            None
        })
        .test_client();
    let html = client.get("/later").await.text();
    assert!(html.contains("panic: async &lt;boom&gt;"), "{html}");
    assert!(
        html.contains("panic!(&#34;async &lt;boom&gt;&#34;)"),
        "the failing line: {html}"
    );
    let html = client.get("/hooked").await.text();
    assert!(html.contains("panic: hook &lt;failed&gt;"), "{html}");
    assert!(
        html.contains("panic!(&#34;hook &lt;failed&gt;&#34;);"),
        "the failing line: {html}"
    );
}

/// Cookies a browser would reject, or keep but never send back here.
#[get("/login")]
fn login() -> Response {
    let mut response = make_response("in");
    response.set_cookie("token", "t").secure(true);
    response.set_cookie("wide", "w").domain("other.org");
    response.set_cookie("scoped", "s").path("/admin");
    response.set_cookie("fine", "f");
    response
}

#[get("/admin/prefs")]
fn set_prefs() -> Response {
    let mut response = make_response("set");
    response.set_cookie("pref", "dark").path("/admin");
    response
}

/// A delete written by hand, with another path than the cookie's.
#[get("/admin/reset")]
fn reset_prefs() -> Response {
    make_response("reset").with_header("Set-Cookie", "pref=; Path=/; Max-Age=0")
}

fn cookie_app(debug: bool) -> App {
    App::new()
        .debug(debug)
        .route(login)
        .route(set_prefs)
        .route(reset_prefs)
        .route(boom)
}

#[tokio::test]
async fn in_debug_mode_cookies_a_browser_would_reject_are_explained() {
    let (logs, _capturing) = crate::support::Logs::capture();
    let client = cookie_app(true).test_client();
    client.get("/login").header("Host", "example.org").await;
    let line = logs.wait_for("Set-Cookie `token`").await;
    assert!(line.contains("WARN"), "{line}");
    assert!(line.contains("plain http"), "{line}");
    let line = logs.wait_for("Set-Cookie `wide`").await;
    assert!(line.contains("`Domain=other.org` doesn't cover"), "{line}");
    assert!(line.contains("(example.org)"), "{line}");
    let line = logs.wait_for("Set-Cookie `scoped`").await;
    assert!(
        line.contains("`Path=/admin` doesn't cover this page (/login)"),
        "{line}"
    );
    assert!(
        logs.lines_with("Set-Cookie `fine`").is_empty(),
        "{}",
        logs.text()
    );

    client
        .get("/admin/prefs")
        .header("Host", "example.org")
        .await;
    assert!(
        logs.lines_with("Set-Cookie `pref`").is_empty(),
        "{}",
        logs.text()
    );
    client
        .get("/admin/reset")
        .header("Host", "example.org")
        .await;
    let line = logs.wait_for("Set-Cookie `pref`").await;
    assert!(
        line.contains("deletes `pref` with `Path=/` but the cookie was set with `Path=/admin`"),
        "{line}"
    );

    // The debug page lists the recent warnings.
    let html = client.get("/boom").await.text();
    assert!(html.contains("Cookies the browser will reject"), "{html}");
    assert!(
        html.contains("Set-Cookie `wide` in answer to GET /login"),
        "{html}"
    );
}

#[tokio::test]
async fn secure_cookies_on_localhost_and_release_mode_say_nothing() {
    let (logs, _capturing) = crate::support::Logs::capture();
    // Browsers keep Secure cookies set by http://localhost.
    cookie_app(true)
        .test_client()
        .get("/login")
        .header("Host", "localhost:5000")
        .await;
    logs.wait_for("Set-Cookie `wide`").await;
    assert!(
        logs.lines_with("Set-Cookie `token`").is_empty(),
        "{}",
        logs.text()
    );
    // Not in debug mode: no explainer.
    let (logs, _capturing) = crate::support::Logs::capture();
    let client = cookie_app(false).test_client();
    client.get("/login").header("Host", "example.org").await;
    client
        .get("/admin/reset")
        .header("Host", "example.org")
        .await;
    assert!(
        logs.lines_with("Set-Cookie `").is_empty(),
        "{}",
        logs.text()
    );
}
