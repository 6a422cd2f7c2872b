//! Flashed messages (in handlers and templates), permanent sessions and
//! their lifetime, and the test client's `session_transaction`.

use std::time::Duration;

use phial::prelude::*;
use phial::{flash_with_category, get_flashed_messages_with_categories};

const KEY: &str = "a test key that is long enough: 32+";

#[route("/save")]
fn save(request: &Request) -> &'static str {
    flash(request, "Saved");
    flash_with_category(request, "error", "Disk <almost> full");
    "saved"
}

#[route("/show")]
fn show(request: &Request) -> String {
    let first = get_flashed_messages(request);
    // A second call in the same request sees the same messages.
    let again = get_flashed_messages_with_categories(request);
    format!("{}|{again:?}", first.join(","))
}

#[route("/page")]
fn flash_page() -> Response {
    render_template("flashes.html", context! {})
}

#[route("/remember")]
fn remember(request: &Request) -> &'static str {
    request.session.insert("user", "ann");
    request.session.set_permanent(true);
    "remembered"
}

#[route("/user")]
fn show_user(request: &Request) -> String {
    format!(
        "{}|{}",
        request.session.get("user", "nobody"),
        request.session.is_permanent()
    )
}

#[route("/threaded")]
fn threaded(request: &Request) -> String {
    // The session belongs to the request, not to a task-local: a thread
    // that borrows the request reads it too.
    let session = &request.session;
    std::thread::scope(|scope| scope.spawn(|| session.get("user", "nobody")).join())
        .unwrap_or_else(|_| "refused".to_owned())
}

fn app() -> App {
    App::new()
        .secret_key(KEY)
        .template_folder(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/templates"
        ))
        .routes(routes![
            save, show, flash_page, remember, show_user, threaded
        ])
}

#[tokio::test]
async fn flashed_messages_show_once_on_the_next_request() {
    let client = app().test_client();
    assert_eq!(client.get("/show").await.text(), "|[]");
    client.get("/save").await;
    assert_eq!(
        client.get("/show").await.text(),
        "Saved,Disk <almost> full|[(\"message\", \"Saved\"), (\"error\", \"Disk <almost> full\")]"
    );
    assert_eq!(client.get("/show").await.text(), "|[]");
}

#[tokio::test]
async fn templates_get_flashed_messages_escaped_and_filtered() {
    let client = app().test_client();
    client.get("/save").await;
    let page = client.get("/page").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(
        page.text().trim(),
        "[message:Saved][error:Disk &lt;almost&gt; full]\nerrors:[Disk &lt;almost&gt; full]"
    );
    assert_eq!(page.header("vary"), Some("Cookie"));
    // Shown once: the template consumed them.
    assert_eq!(client.get("/page").await.text().trim(), "errors:");
}

#[tokio::test]
async fn permanent_sessions_get_the_lifetime_as_max_age() {
    let client = app().test_client();
    let cookie = client.get("/remember").await.set_cookie_headers()[0].to_owned();
    assert!(cookie.contains("Max-Age=2678400"), "31 days: {cookie}");
    assert!(cookie.contains("Expires="), "{cookie}");
    assert_eq!(client.get("/user").await.text(), "ann|true");

    let short = app().permanent_session_lifetime(3600).test_client();
    let cookie = short.get("/remember").await.set_cookie_headers()[0].to_owned();
    assert!(cookie.contains("Max-Age=3600"), "{cookie}");
    // The browser drops it once the lifetime has passed.
    short.advance_clock(Duration::from_secs(3601));
    assert_eq!(short.get("/user").await.text(), "nobody|false");
}

#[tokio::test]
async fn the_lifetime_is_enforced_on_read_whatever_the_browser_sends() {
    let client = app().permanent_session_lifetime(1).test_client();
    client.get("/remember").await;
    let replayed = client.get_cookie("session").unwrap();
    assert_eq!(client.get("/user").await.text(), "ann|true");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    // A client that ignores Max-Age and replays the cookie: refused.
    client.set_cookie("session", &replayed);
    assert_eq!(client.get("/user").await.text(), "nobody|false");
}

#[tokio::test]
async fn session_transaction_seeds_and_reads_the_session() {
    let client = app().test_client();
    client.session_transaction(|session| {
        assert!(session.is_empty());
        session.insert("user", "bob");
    });
    assert_eq!(client.get("/user").await.text(), "bob|false");
    client.get("/remember").await;
    let (user, permanent) =
        client.session_transaction(|session| (session.get("user", ""), session.is_permanent()));
    assert_eq!((user.as_str(), permanent), ("ann", true));
    // Reading only leaves the jar alone; clearing logs out.
    client.session_transaction(|session| session.clear());
    assert_eq!(client.get("/user").await.text(), "nobody|false");
}

#[tokio::test]
async fn session_transaction_on_another_key_sees_nothing() {
    let client = app().test_client();
    client.session_transaction(|session| session.insert("user", "bob"));
    let other = App::new()
        .secret_key("a different key, also long enough!")
        .test_client();
    other.set_cookie("session", &client.get_cookie("session").unwrap());
    assert!(other.session_transaction(|session| session.is_empty()));
}

#[tokio::test]
async fn the_session_is_read_from_a_thread_that_borrows_the_request() {
    let client = app().test_client();
    assert_eq!(client.get("/threaded").await.text(), "nobody");
    client.session_transaction(|session| session.insert("user", "ann"));
    assert_eq!(client.get("/threaded").await.text(), "ann");
}

#[tokio::test]
async fn requests_that_never_touch_sessions_send_no_cookie_and_no_vary() {
    let client = app().test_client();
    client.session_transaction(|session| session.insert("user", "bob"));
    let response = client.get("/save").await;
    assert_eq!(response.header("vary"), Some("Cookie"));
    let app = App::new().route(plain);
    let response = app.test_client().get("/").await;
    assert!(response.set_cookie_headers().is_empty());
    assert_eq!(response.header("vary"), None);
}

#[route("/")]
fn plain() -> &'static str {
    "plain"
}
