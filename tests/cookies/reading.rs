//! Reading: hostile `Cookie` headers through the whole request path.

use phial::prelude::*;

use super::echo;

#[route("/typed")]
fn typed(request: &Request) -> String {
    format!(
        "{} {:?} {} {} {}",
        request.cookies.get("name", "Guest"),
        request.cookies.get("missing", None),
        request.cookies.get("n", 0u32),
        request.cookies.get("bad", 7u32),
        request.cookies.len(),
    )
}

async fn echo_of(headers: &[&str]) -> String {
    let client = App::new().route(echo).test_client();
    let mut request = client.get("/echo");
    for header in headers {
        request = request.header("cookie", header);
    }
    let response = request.await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text()
}

#[tokio::test]
async fn get_follows_the_default_type() {
    let client = App::new().route(typed).test_client();
    let response = client
        .get("/typed")
        .header("cookie", "name=bob; n=42; bad=x; n=1")
        .await;
    assert_eq!(response.text(), "bob None 42 7 4");
    assert_eq!(client.get("/typed").await.text(), "Guest None 0 7 0");
}

#[tokio::test]
async fn cookie_sandwich_yields_three_pairs() {
    assert_eq!(
        echo_of(&[r#"a="x; __Host-sid=evil; c=y""#]).await,
        r#"[("a", "\"x"), ("__Host-sid", "evil"), ("c", "y\"")]"#
    );
}

#[tokio::test]
async fn unicode_whitespace_is_not_trimmed_from_names() {
    assert_eq!(
        echo_of(&["\u{2000}__Host-x=1; \u{85}y=2"]).await,
        r#"[("\u{2000}__Host-x", "1"), ("\u{85}y", "2")]"#
    );
}

#[tokio::test]
async fn nameless_pairs_are_skipped() {
    // CVE-2023-23934: `=__Host-x=1` must not read as a `__Host-x` cookie.
    assert_eq!(
        echo_of(&["=v; =__Host-x=1; bare; a=1"]).await,
        r#"[("a", "1")]"#
    );
}

#[tokio::test]
async fn first_duplicate_wins_and_every_header_is_read() {
    let client = App::new().route(typed).test_client();
    let response = client
        .get("/typed")
        .header("cookie", "name=specific")
        .header("cookie", "name=general; n=3")
        .await;
    assert_eq!(response.text(), "specific None 3 7 3");
}

#[tokio::test]
async fn flask_quoted_values_read_back_exactly() {
    assert_eq!(
        echo_of(&[r#"a="caf\303\251"; b="a\"b\\c"; c="x\073y\054z"; d=" sp ""#]).await,
        r#"[("a", "café"), ("b", "a\"b\\c"), ("c", "x;y,z"), ("d", " sp ")]"#
    );
}

#[tokio::test]
async fn raw_utf8_reads_as_utf8() {
    assert_eq!(
        echo_of(&["emoji=😀; lang=français"]).await,
        r#"[("emoji", "😀"), ("lang", "français")]"#
    );
}

#[tokio::test]
async fn at_most_3000_pairs_are_read() {
    let header = (0..3500)
        .map(|i| format!("k{i}=v"))
        .collect::<Vec<_>>()
        .join("; ");
    let client = App::new().route(typed).test_client();
    let response = client.get("/typed").header("cookie", &header).await;
    assert_eq!(response.text(), "Guest None 0 7 3000");
}
