//! Handlers returning `Result<_, phial::Error>`: `?` on any error, Flask's
//! `abort(404)` read the same way, the cause logged but never shown.

use std::fmt;

use phial::prelude::*;

use crate::support::Logs;

/// An app error with a cause, as a database driver's would be.
#[derive(Debug)]
struct Outage(std::io::Error);

impl fmt::Display for Outage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the <store> is down")
    }
}

impl std::error::Error for Outage {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn fetch(key: &str) -> Result<String, Outage> {
    Err(Outage(std::io::Error::other(format!(
        "connection to {key} refused"
    ))))
}

#[get("/parse/<text>")]
fn parse(text: String) -> Result<String, phial::Error> {
    let number: u32 = text.parse()?;
    Ok(format!("{}", number * 2))
}

#[get("/post/<int:id>")]
async fn post(id: u32) -> Result<String, phial::Error> {
    let title = ["Hello"]
        .get(id as usize)
        .ok_or(abort(404).description(format!("Post id {id} doesn't exist.")))?;
    Ok((*title).to_owned())
}

#[get("/store")]
async fn store() -> Result<String, phial::Error> {
    Ok(fetch("db.internal:5432")?)
}

#[derive(serde::Deserialize)]
struct Note {
    text: String,
}

#[post("/notes")]
fn notes(request: &Request) -> Result<String, phial::Error> {
    let note: Note = request.json()?;
    Ok(note.text)
}

/// Returns the driver's own error type, no `phial::Error` in sight.
#[get("/direct")]
async fn direct() -> Result<String, Outage> {
    fetch("cache.internal:6379")
}

/// A synchronous handler returning `std::io::Result`.
#[get("/io/<name>")]
fn io_result(name: String) -> std::io::Result<String> {
    std::fs::read_to_string(format!("/nonexistent/phial/{name}"))
}

/// An app's error type that is a response keeps its own answer.
struct Teapot;

impl IntoResponse for Teapot {
    fn into_response(self) -> Response {
        (StatusCode::IM_A_TEAPOT, "short and stout").into_response()
    }
}

#[get("/teapot/<int:n>")]
async fn teapot(n: u32, request: &Request) -> Result<String, Teapot> {
    let _ = request.method();
    if n == 0 {
        Err(Teapot)
    } else {
        Ok(format!("{n} cups"))
    }
}

/// With an extractor too: the handler runs in the extractor's future.
#[get("/query")]
async fn query(
    phial::extract::Query(query): phial::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<String, std::num::ParseIntError> {
    let n: u32 = query.get("n").map(String::as_str).unwrap_or("").parse()?;
    Ok(format!("n={n}"))
}

fn app() -> App {
    App::new()
        .route(parse)
        .route(post)
        .route(store)
        .route(notes)
        .route(direct)
        .route(io_result)
        .route(teapot)
        .route(query)
}

#[tokio::test]
async fn question_mark_on_any_error_answers_500_and_logs_the_cause() {
    let (logs, _capturing) = Logs::capture();
    let client = app().debug(false).test_client();
    assert_eq!(client.get("/parse/21").await.text(), "42");
    let response = client.get("/store").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = response.text();
    assert!(html.contains("<h1>Internal Server Error</h1>"), "{html}");
    assert!(!html.contains("store") && !html.contains("5432"), "{html}");
    let line = logs.wait_for("GET /store failed").await;
    assert!(line.contains("ERROR"), "{line}");
    assert!(line.contains("the <store> is down"), "{line}");
    // The cause follows on the next line of the same event.
    assert!(
        logs.text()
            .contains("caused by: connection to db.internal:5432 refused"),
        "{}",
        logs.text()
    );
    let response = client.get("/parse/many").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(logs
        .wait_for("GET /parse/many failed")
        .await
        .contains("invalid digit"));
}

#[tokio::test]
async fn a_handler_may_return_any_error_type() {
    let (logs, _capturing) = Logs::capture();
    let client = app().debug(false).test_client();
    let response = client.get("/direct").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!response.text().contains("6379"), "{}", response.text());
    let line = logs.wait_for("GET /direct failed").await;
    assert!(line.contains("the <store> is down"), "{line}");
    let response = client.get("/io/missing.txt").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let line = logs.wait_for("GET /io/missing.txt failed").await;
    assert!(line.contains("No such file"), "{line}");
    assert_eq!(client.get("/query?n=4").await.text(), "n=4");
    assert_eq!(
        client.get("/query?n=four").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert!(logs
        .wait_for("GET /query?n=four failed")
        .await
        .contains("invalid digit"));
}

#[tokio::test]
async fn an_error_type_that_is_a_response_answers_as_itself() {
    let (logs, _capturing) = Logs::capture();
    let client = app().test_client();
    assert_eq!(client.get("/teapot/2").await.text(), "2 cups");
    let response = client.get("/teapot/0").await;
    assert_eq!(response.status(), StatusCode::IM_A_TEAPOT);
    assert_eq!(response.text(), "short and stout");
    assert!(logs.lines_with("failed").is_empty(), "{}", logs.text());
}

#[tokio::test]
async fn question_mark_on_an_abort_answers_its_page() {
    let (logs, _capturing) = Logs::capture();
    let client = app().test_client();
    assert_eq!(client.get("/post/0").await.text(), "Hello");
    let response = client.get("/post/7").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().contains("Post id 7 doesn&#39;t exist."));
    // An abort is an answer, not a failure: nothing at ERROR.
    assert!(logs.lines_with("failed").is_empty(), "{}", logs.text());
}

#[tokio::test]
async fn the_apps_500_handler_renders_a_returned_error() {
    let client = app()
        .debug(false)
        .errorhandler(500, |_request, _status| "sorry, try later")
        .test_client();
    let response = client.get("/store").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.text(), "sorry, try later");
}

#[tokio::test]
async fn in_debug_mode_the_page_shows_the_error_and_its_causes() {
    let client = app().debug(true).test_client();
    let response = client.get("/store?x=1").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = response.text();
    assert!(html.contains("error: the &lt;store&gt; is down"), "{html}");
    assert!(html.contains("<h2>Caused by</h2>"), "{html}");
    assert!(
        html.contains("<p>connection to db.internal:5432 refused</p>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><th>URL</th><td>/store?x=1</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><th>handler</th><td>store</td></tr>"),
        "{html}"
    );
}

#[test]
fn phial_errors_convert_to_boxed_errors_and_keep_their_kind() {
    let error = phial::Error::from(std::io::Error::other("disk full"));
    assert!(error.is_io());
    assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let aborted = phial::Error::from(abort(403));
    assert_eq!(aborted.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        aborted.downcast_ref::<phial::Abort>().map(|a| a.status()),
        Some(StatusCode::FORBIDDEN)
    );
    let outage = phial::Error::new(Outage(std::io::Error::other("refused")));
    assert_eq!(
        outage.source().map(|s| s.to_string()).as_deref(),
        Some("refused")
    );
    let boxed: Box<dyn std::error::Error + Send + Sync> = outage.into();
    assert!(
        boxed.downcast_ref::<Outage>().is_some(),
        "the app's error, unwrapped"
    );
    assert_eq!(
        format!(
            "{:?}",
            phial::Error::new(Outage(std::io::Error::other("refused")))
        ),
        "the <store> is down\n  caused by: refused"
    );
}

#[tokio::test]
async fn question_mark_on_a_bad_json_body_is_the_clients_error() {
    let (logs, _capturing) = Logs::capture();
    let client = app().test_client();
    let ok = client
        .post("/notes")
        .header("Content-Type", "application/json")
        .body(r#"{"text": "hi"}"#)
        .await;
    assert_eq!(ok.text(), "hi");
    let bad = client
        .post("/notes")
        .header("Content-Type", "application/json")
        .body(r#"{"txt": "hi"}"#)
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(
        bad.text().contains("text"),
        "says which field: {}",
        bad.text()
    );
    let form = client.post("/notes").form(&[("text", "hi")]).await;
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(logs.lines_with("failed").is_empty(), "{}", logs.text());
}
