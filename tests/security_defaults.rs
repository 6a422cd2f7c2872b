//! The defaults a security reviewer checks first: what phial types is not
//! sniffed, framing is one line away, error pages reveal nothing outside
//! debug mode, and debug mode on a reachable address is said loudly.
//! (The session cookie's `HttpOnly` and `SameSite=Lax` defaults are
//! checked in sessions.rs.)

use phial::prelude::*;
use tokio::net::TcpListener;

use crate::support::Logs;

const SECRET: &str = "s3cret-key-that-is-long-enough-for-phial-0123456789";

#[get("/text")]
fn text() -> &'static str {
    "hello"
}

#[get("/json")]
fn json() -> Json<Vec<u8>> {
    Json(vec![1, 2])
}

#[get("/embeddable")]
fn embeddable() -> Response {
    let mut response = make_response("widget");
    response.set_header("X-Frame-Options", "SAMEORIGIN");
    response
}

#[get("/panic")]
fn panics() -> &'static str {
    panic!("failed at {}", file!())
}

#[get("/template")]
fn broken_template() -> Response {
    render_template("broken.html", context! {})
}

#[get("/error")]
fn fails() -> Result<String, phial::Error> {
    let contents = std::fs::read_to_string("/no/such/dir/secret.toml")?;
    Ok(contents)
}

fn app() -> App {
    App::new()
        .secret_key(SECRET)
        .template_folder(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/templates"
        ))
        .static_folder(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures"))
        .route(text)
        .route(json)
        .route(embeddable)
        .route(panics)
        .route(broken_template)
        .route(fails)
}

#[tokio::test]
async fn what_phial_types_carries_nosniff() {
    let client = app().test_client();
    for path in ["/text", "/json", "/missing", "/static/templates/hello.html"] {
        let response = client.get(path).await;
        assert_eq!(
            response.header("X-Content-Type-Options"),
            Some("nosniff"),
            "{path}: {}",
            response.status()
        );
    }
}

#[tokio::test]
async fn framing_is_denied_in_one_line_and_a_handler_may_allow_it() {
    let plain = app().test_client().get("/text").await;
    assert_eq!(plain.header("X-Frame-Options"), None, "off by default");
    let client = app().deny_framing().test_client();
    let response = client.get("/text").await;
    assert_eq!(response.header("X-Frame-Options"), Some("DENY"));
    assert_eq!(
        response.header("Content-Security-Policy"),
        Some("frame-ancestors 'none'")
    );
    let error = client.get("/missing").await;
    assert_eq!(error.header("X-Frame-Options"), Some("DENY"));
    let widget = client.get("/embeddable").await;
    assert_eq!(widget.header("X-Frame-Options"), Some("SAMEORIGIN"));
}

#[tokio::test]
async fn error_pages_reveal_nothing_outside_debug_mode() {
    let (_logs, _capturing) = Logs::capture();
    let client = app().debug(false).test_client();
    for path in ["/panic", "/template", "/error", "/missing"] {
        let response = client.get(path).await;
        assert!(response.status().is_client_error() || response.status().is_server_error());
        let page = response.text();
        for secret in [
            ".rs", ".html", "src/", "/no/such", SECRET, "panicked", "line ",
        ] {
            assert!(!page.contains(secret), "{path} shows {secret:?}: {page}");
        }
    }
}

#[tokio::test]
async fn debug_mode_on_a_reachable_address_is_said_loudly() {
    for (address, warned) in [("0.0.0.0:0", true), ("127.0.0.1:0", false)] {
        let (logs, _capturing) = Logs::capture();
        let listener = TcpListener::bind(address).await.unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(App::new().debug(true).route(text).serve_with_shutdown(
            listener,
            async {
                let _ = stopped.await;
            },
        ));
        tokio::task::yield_now().await;
        stop.send(()).unwrap();
        server.await.unwrap();
        let lines = logs.lines_with("debug mode is on");
        assert_eq!(!lines.is_empty(), warned, "{address}: {}", logs.text());
        if warned {
            assert!(lines[0].contains("WARN") && lines[0].contains("production"));
        }
    }
}
