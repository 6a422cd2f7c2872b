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
