//! The test client's jar, and the examples through it.

use std::time::Duration;

use phial::prelude::*;

use super::{dump, echo, login, logout, preferences, read, roundtrip, visits, ROUND_TRIP};

#[route("/paths")]
fn paths() -> Response {
    let mut response = make_response("");
    response.set_cookie("id", "root");
    response.set_cookie("id", "app").path("/app");
    response.set_cookie("short", "1").max_age(60);
    response.set_cookie("secure", "1").secure(true);
    response
}

#[route("/app/echo")]
fn app_echo(request: &Request) -> String {
    dump(request)
}

#[tokio::test]
async fn jar_sends_the_most_specific_path_first() {
    let client = App::new()
        .route(paths)
        .route(echo)
        .route(app_echo)
        .test_client();
    client.get("/paths").await;
    assert_eq!(
        client.get("/app/echo").await.text(),
        r#"[("id", "app"), ("id", "root"), ("short", "1")]"#
    );
    assert_eq!(
        client.get("/echo").await.text(),
        r#"[("id", "root"), ("short", "1")]"#
    );
    assert_eq!(client.get_cookie("id").as_deref(), Some("app"));
}

#[tokio::test]
async fn jar_honours_max_age_and_the_scheme() {
    let app = App::new().route(paths).route(echo);
    let client = app.test_client();
    client.get("/paths").await;
    assert_eq!(
        client.get_cookie("secure"),
        None,
        "Secure over http is refused"
    );
    client.advance_clock(Duration::from_secs(61));
    assert_eq!(client.get_cookie("short"), None);
    assert_eq!(client.get("/echo").await.text(), r#"[("id", "root")]"#);

    let https = app.test_client().with_base_url("https://localhost");
    https.get("/paths").await;
    assert_eq!(https.get_cookie("secure").as_deref(), Some("1"));
    assert_eq!(
        https.get("/echo").await.text(),
        r#"[("id", "root"), ("short", "1"), ("secure", "1")]"#
    );
}

#[tokio::test]
async fn jar_replaces_deletes_and_clears() {
    let client = App::new()
        .route(echo)
        .route(logout)
        .route(login)
        .test_client();
    client.set_cookie("sid", "one");
    client.set_cookie("sid", "two; with spaces");
    client.set_cookie("theme", "dark");
    assert_eq!(
        client.get("/echo").await.text(),
        r#"[("sid", "two; with spaces"), ("theme", "dark")]"#
    );
    client.get("/logout").await;
    assert_eq!(client.get("/echo").await.text(), r#"[("theme", "dark")]"#);
    client.clear_cookies();
    assert_eq!(client.get("/echo").await.text(), "[]");
}

#[tokio::test]
async fn any_utf8_value_round_trips_through_the_test_client() {
    let client = App::new().route(roundtrip).route(read).test_client();
    for value in ROUND_TRIP {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("v", value)
            .finish();
        client.get(&format!("/roundtrip?{query}")).await;
        assert_eq!(client.get("/read").await.text(), value);
        assert_eq!(client.get_cookie("v").as_deref(), Some(value));
    }
}

#[tokio::test]
async fn preferences_example_saves_and_forgets_the_theme() {
    let client = preferences::app().test_client();
    assert!(client.get("/").await.text().contains("Theme: light"));
    let response = client.post("/theme").form(&[("theme", "dark")]).await;
    let header = response.set_cookie_headers()[0].to_owned();
    assert!(header.starts_with("theme=dark; Expires="), "{header}");
    assert!(
        header.ends_with("; Max-Age=31536000; HttpOnly; Path=/; SameSite=Lax"),
        "{header}"
    );
    assert!(client.get("/").await.text().contains("Theme: dark"));
    let response = client.post("/theme").form(&[("theme", "neon")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = client.post("/forget").await;
    assert_eq!(
        response.set_cookie_headers(),
        ["theme=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"]
    );
    assert!(client.get("/").await.text().contains("Theme: light"));
    assert_eq!(client.get_cookie("theme"), None);
}

#[tokio::test]
async fn visits_example_counts_with_a_typed_cookie() {
    let client = visits::app().test_client();
    for n in 1..=3 {
        let text = client.get("/").await.text();
        assert_eq!(text, format!("You have been here {n} time(s)."));
    }
    client.set_cookie("visits", "not a number");
    assert_eq!(
        client.get("/").await.text(),
        "You have been here 1 time(s)."
    );
    client.get("/reset").await;
    assert_eq!(client.get_cookie("visits"), None);
    client.advance_clock(Duration::from_secs(31 * 24 * 60 * 60));
    client.get("/").await;
    client.advance_clock(Duration::from_secs(31 * 24 * 60 * 60));
    assert_eq!(
        client.get("/").await.text(),
        "You have been here 1 time(s)."
    );
}
