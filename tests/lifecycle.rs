//! Teardown hooks after every request (panics and errors included), and
//! the async start-up and shutdown hooks around a real server.

use std::sync::{Arc, Mutex};

use phial::prelude::*;
use phial::{Abort, Config};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::support::{Conn, Logs, Server, PATIENCE};

type Events = Arc<Mutex<Vec<String>>>;

fn record(events: &Events, event: impl Into<String>) {
    events.lock().unwrap().push(event.into());
}

fn events(events: &Events) -> Vec<String> {
    events.lock().unwrap().clone()
}

#[get("/")]
fn index() -> &'static str {
    "index"
}

#[get("/boom")]
fn boom() -> &'static str {
    panic!("lifecycle boom")
}

#[get("/gone")]
fn gone() -> Result<&'static str, Abort> {
    Err(abort(410))
}

#[get("/async-boom")]
async fn async_boom() -> &'static str {
    tokio::task::yield_now().await;
    panic!("async lifecycle boom")
}

fn teardown_app(log: &Events) -> App {
    let (request_log, context_log) = (Arc::clone(log), Arc::clone(log));
    App::new()
        .routes(routes![index, boom, gone, async_boom])
        .teardown_request(move |request, error| {
            record(
                &request_log,
                format!("request {} {error:?}", request.path()),
            );
        })
        .teardown_appcontext(move |error| {
            record(&context_log, format!("appcontext {error:?}"));
        })
}

#[tokio::test]
async fn teardown_hooks_run_after_a_normal_request_and_after_an_error() {
    let log = Events::default();
    let client = teardown_app(&log).test_client();
    assert_eq!(client.get("/").await.text(), "index");
    assert_eq!(client.get("/gone").await.status(), StatusCode::GONE);
    assert_eq!(client.get("/missing").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        events(&log),
        [
            "request / None",
            "appcontext None",
            "request /gone None",
            "appcontext None",
            "request /missing None",
            "appcontext None",
        ]
    );
}

#[tokio::test]
async fn teardown_hooks_run_after_a_panic_with_its_message() {
    let log = Events::default();
    let client = teardown_app(&log).test_client();
    let response = client.get("/boom").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let response = client.get("/async-boom").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        events(&log),
        [
            "request /boom Some(\"lifecycle boom\")",
            "appcontext Some(\"lifecycle boom\")",
            "request /async-boom Some(\"async lifecycle boom\")",
            "appcontext Some(\"async lifecycle boom\")",
        ]
    );
}

#[tokio::test]
async fn a_panicking_teardown_appcontext_hook_is_logged_and_the_next_runs() {
    let (logs, _capturing) = Logs::capture();
    let log = Events::default();
    let after = Arc::clone(&log);
    let app = App::new()
        .route(index)
        .teardown_appcontext(|_error| panic!("teardown broke"))
        .teardown_appcontext(move |error| record(&after, format!("second {error:?}")));
    let response = app.test_client().get("/").await;
    assert_eq!(response.text(), "index");
    assert_eq!(events(&log), ["second None"]);
    let line = logs.wait_for("teardown_appcontext hook panicked").await;
    assert!(line.contains("teardown broke"), "{line}");
}

/// Answers `/events` with what happened so far, one event a line.
fn lifecycle_app(log: &Events, release: oneshot::Receiver<()>) -> App {
    let release = Arc::new(Mutex::new(Some(release)));
    let (startup, first, second, requests) = (
        Arc::clone(log),
        Arc::clone(log),
        Arc::clone(log),
        Arc::clone(log),
    );
    App::from_config(Config::new().set("DATABASE", "flaskr.sqlite"))
        .unwrap()
        .on_startup(move |app| {
            let log = Arc::clone(&startup);
            let release = release.lock().unwrap().take();
            async move {
                if let Some(release) = release {
                    release.await?;
                }
                let database: String = app.config().get("DATABASE")?;
                record(&log, format!("startup {database}"));
                Ok(())
            }
        })
        .on_shutdown(move |_app| {
            let log = Arc::clone(&first);
            async move { record(&log, "shutdown registered first") }
        })
        .on_shutdown(move |_app| {
            let log = Arc::clone(&second);
            async move {
                tokio::task::yield_now().await;
                record(&log, "shutdown registered second");
            }
        })
        .before_request(move |request| {
            record(&requests, format!("request {}", request.path()));
            let events = requests.lock().unwrap().join("\n");
            Some(events)
        })
}

#[tokio::test]
async fn startup_hooks_finish_before_the_first_request_and_shutdown_hooks_after_the_last() {
    let log = Events::default();
    let (release, released) = oneshot::channel();
    let server = Server::start(lifecycle_app(&log, released)).await;
    // The request waits in the listen backlog while the start-up hook
    // waits for its release.
    let mut conn = Conn::open(server.addr).await;
    conn.send("GET /events HTTP/1.1\r\nHost: test\r\n\r\n")
        .await;
    release.send(()).unwrap();
    let response = conn.response(false).await;
    assert_eq!(response.text(), "startup flaskr.sqlite\nrequest /events");
    drop(conn);
    server.shut_down().await;
    assert_eq!(
        events(&log),
        [
            "startup flaskr.sqlite",
            "request /events",
            "shutdown registered second",
            "shutdown registered first",
        ]
    );
}

#[tokio::test]
async fn a_failing_startup_hook_makes_serve_return_its_error_and_serve_nothing() {
    let log = Events::default();
    let (second, shutdown) = (Arc::clone(&log), Arc::clone(&log));
    let app = App::new()
        .route(index)
        .on_startup(|_app| async { Err("the database is down".into()) })
        .on_startup(move |_app| {
            let log = Arc::clone(&second);
            async move {
                record(&log, "second startup hook");
                Ok(())
            }
        })
        .on_shutdown(move |_app| {
            let log = Arc::clone(&shutdown);
            async move { record(&log, "shutdown") }
        });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    // A client already waiting in the listen backlog.
    let mut waiting = Conn::open(listener.local_addr().unwrap()).await;
    waiting.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").await;
    let error = tokio::time::timeout(PATIENCE, app.serve(listener))
        .await
        .expect("serve did not return")
        .unwrap_err();
    assert!(error.is_startup());
    assert_eq!(
        error.to_string(),
        "start-up hook failed: the database is down"
    );
    let source = error.source().unwrap();
    assert_eq!(source.to_string(), "the database is down");
    assert!(events(&log).is_empty(), "{:?}", events(&log));
    // The waiting client is closed unanswered.
    assert_eq!(waiting.until_closed().await, b"");
}

#[tokio::test]
async fn a_panicking_startup_hook_is_a_startup_error() {
    let app = App::new().on_startup(|_app| async { panic!("no config") });
    let error = app.run_startup_hooks().await.unwrap_err();
    assert!(error.is_startup());
    assert!(error.to_string().contains("no config"), "{error}");
}

#[tokio::test]
async fn serve_with_shutdown_logs_a_failed_startup_and_returns() {
    let (logs, _capturing) = Logs::capture();
    let app = App::new().on_startup(|_app| async { Err("no cache".into()) });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    tokio::time::timeout(
        PATIENCE,
        app.serve_with_shutdown(listener, std::future::pending()),
    )
    .await
    .expect("serve_with_shutdown did not return");
    let line = logs.wait_for("not serving").await;
    assert!(line.contains("no cache"), "{line}");
}

#[tokio::test]
async fn the_test_client_leaves_the_hooks_to_the_test() {
    let log = Events::default();
    let (startup, shutdown, requests) = (Arc::clone(&log), Arc::clone(&log), Arc::clone(&log));
    let app = App::new()
        .route(index)
        .on_startup(move |_app| {
            let log = Arc::clone(&startup);
            async move {
                record(&log, "startup");
                Ok(())
            }
        })
        .on_shutdown(|_app| async { panic!("a broken shutdown hook") })
        .on_shutdown(move |_app| {
            let log = Arc::clone(&shutdown);
            async move { record(&log, "shutdown") }
        })
        .after_request(move |_request, _response| record(&requests, "request"));
    let client = app.test_client();
    client.get("/").await;
    assert_eq!(events(&log), ["request"]);

    app.run_startup_hooks().await.unwrap();
    client.get("/").await;
    // In reverse registration order: the recorder, then the broken hook,
    // whose panic is logged.
    let (logs, _capturing) = Logs::capture();
    app.run_shutdown_hooks().await;
    assert_eq!(events(&log), ["request", "startup", "request", "shutdown"]);
    let line = logs.wait_for("shutdown hook panicked").await;
    assert!(line.contains("a broken shutdown hook"), "{line}");
}
