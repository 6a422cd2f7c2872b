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
    assert!(html.contains("GET /boom?x=1"), "{html}");
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
