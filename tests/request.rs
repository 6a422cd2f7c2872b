//! `Request` as handlers see it, driven through the test client.

use phial::prelude::*;

#[route("/echo", methods = ["GET", "POST"])]
fn echo(request: &Request) -> String {
    format!(
        "{} {} q={:?} page={} len={} text={} ua={}",
        request.method(),
        request.path(),
        request.args.get("q", None),
        request.args.get("page", 1u32),
        request.body().len(),
        request.text(),
        request.header("user-agent").unwrap_or("-"),
    )
}

#[route("/args")]
fn args(request: &Request) -> String {
    let tags: Vec<&str> = request.args.get_all("tag").collect();
    format!(
        "{}|{}|{}|{}|{:?}",
        request.args.get("name", "anonymous"),
        request.args.get("ratio", 0.5f64),
        request.args.contains("flag"),
        request.args.len(),
        tags
    )
}

#[route("/files/<path:rest>")]
fn files(request: &Request, rest: &str) -> String {
    format!("{} {rest} {}", request.path(), request.uri())
}

#[route("/remote")]
fn remote(request: &Request) -> String {
    request.remote_addr().ip().to_string()
}

fn app() -> App {
    App::new()
        .route(echo)
        .route(args)
        .route(files)
        .route(remote)
}

#[tokio::test]
async fn args_follow_the_default_type() {
    let client = app().test_client();
    let text = client.get("/echo?q=rust&page=3").await.text();
    assert_eq!(text, "GET /echo q=Some(\"rust\") page=3 len=0 text= ua=-");
    let text = client.get("/echo?page=notanumber").await.text();
    assert_eq!(text, "GET /echo q=None page=1 len=0 text= ua=-");
}

#[tokio::test]
async fn args_decode_repeat_and_count() {
    let client = app().test_client();
    let text = client
        .get("/args?name=J%C3%BCrgen+K&tag=a&tag=b&flag&ratio=2.5")
        .await
        .text();
    assert_eq!(text, "Jürgen K|2.5|true|5|[\"a\", \"b\"]");
    assert_eq!(client.get("/args").await.text(), "anonymous|0.5|false|0|[]");
}

#[tokio::test]
async fn body_and_headers_reach_the_handler() {
    let client = app().test_client();
    let text = client
        .post("/echo")
        .header("User-Agent", "phial-test")
        .body("héllo")
        .await
        .text();
    assert_eq!(
        text,
        "POST /echo q=None page=1 len=6 text=héllo ua=phial-test"
    );
    let text = client.post("/echo").body(vec![0xff, b'a']).await.text();
    assert!(text.ends_with("len=2 text=\u{fffd}a ua=-"), "{text}");
}

#[tokio::test]
async fn form_bodies_are_urlencoded() {
    let client = app().test_client();
    let text = client
        .post("/echo")
        .form(&[("user", "bob smith"), ("pw", "a&b")])
        .await
        .text();
    assert!(
        text.ends_with("text=user=bob+smith&pw=a%26b ua=-"),
        "{text}"
    );
}

#[tokio::test]
async fn path_is_decoded_and_uri_is_raw() {
    let client = app().test_client();
    let text = client.get("/files/a%20b/c.txt").await.text();
    assert_eq!(text, "/files/a b/c.txt a b/c.txt /files/a%20b/c.txt");
}

#[tokio::test]
async fn invalid_utf8_in_the_path_is_a_bad_request() {
    let client = app().test_client();
    let response = client.get("/files/%FF").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().contains("<h1>Bad Request</h1>"));
}

#[tokio::test]
async fn the_test_client_reports_a_loopback_remote_address() {
    let client = app().test_client();
    assert_eq!(client.get("/remote").await.text(), "127.0.0.1");
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_the_handler() {
    let client = app().max_body_size(4).test_client();
    assert_eq!(
        client.post("/echo").body("12345").await.status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        client.post("/echo").body("1234").await.status(),
        StatusCode::OK
    );
}
