//! Request hooks and error handlers.

use std::sync::{Arc, Mutex};

use phial::prelude::*;
use phial::Abort;

#[get("/")]
fn index() -> &'static str {
    "index"
}

#[get("/admin")]
fn admin() -> &'static str {
    "secret admin page"
}

#[get("/boom")]
fn boom() -> &'static str {
    panic!("kaboom")
}

#[get("/gone")]
fn gone() -> Result<&'static str, Abort> {
    Err(abort(410))
}

#[get("/own404")]
fn own404() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "my own not-found body")
}

fn app(log: Arc<Mutex<Vec<String>>>) -> App {
    let (first, second, teardown) = (log.clone(), log.clone(), log);
    App::new()
        .routes(routes![index, admin, boom, gone, own404])
        .before_request(move |request| {
            first
                .lock()
                .unwrap()
                .push(format!("before1 {}", request.path()));
            None::<Response>
        })
        .before_request(move |request| {
            second
                .lock()
                .unwrap()
                .push(format!("before2 {}", request.path()));
            (request.path() == "/admin" && !request.cookies.contains("user"))
                .then_some((StatusCode::UNAUTHORIZED, "log in first"))
        })
        .after_request(|_request, response| {
            response.set_header("X-After", "1");
            response.set_cookie("seen", "yes");
        })
        .after_request(|_request, response| {
            let first_ran = response.headers().contains_key("x-after");
            response.set_header("X-After-Order", if first_ran { "ok" } else { "wrong" });
        })
        .teardown_request(move |request, panic| {
            teardown
                .lock()
                .unwrap()
                .push(format!("teardown {} {panic:?}", request.path()));
        })
}

#[tokio::test]
async fn hooks_run_in_registration_order_around_the_handler() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = app(log.clone()).test_client();
    let response = client.get("/").await;
    assert_eq!(response.text(), "index");
    assert_eq!(response.header("x-after"), Some("1"));
    assert_eq!(response.header("x-after-order"), Some("ok"));
    assert_eq!(response.set_cookie_headers(), ["seen=yes; Path=/"]);
    assert_eq!(
        *log.lock().unwrap(),
        ["before1 /", "before2 /", "teardown / None"]
    );
}

#[tokio::test]
async fn a_before_hook_can_answer_instead_of_the_handler() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = app(log).test_client();
    let response = client.get("/admin").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.text(), "log in first");
    assert_eq!(
        response.header("x-after"),
        Some("1"),
        "after hooks still run"
    );
    let response = client.get("/admin").header("Cookie", "user=bob").await;
    assert_eq!(response.text(), "secret admin page");
}

#[tokio::test]
async fn teardown_runs_after_a_panic_and_sees_it() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let app = app(log.clone());
    let client = app.test_client();
    let response = client.get("/boom").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.panic_count(), 1);
    assert_eq!(
        log.lock().unwrap().last().map(String::as_str),
        Some("teardown /boom Some(\"kaboom\")")
    );
}

#[tokio::test]
async fn error_handlers_render_error_pages_of_any_status() {
    let app = App::new()
        .routes(routes![boom, gone, own404])
        .errorhandler(404, |request, _status| {
            format!("nothing at {}", request.path())
        })
        .errorhandler(StatusCode::INTERNAL_SERVER_ERROR, |_request, status| {
            (status, "custom 500")
        })
        .errorhandler(410, |_request, _status| {
            (StatusCode::IM_A_TEAPOT, "the handler chose its status")
        })
        .errorhandler(405, |_request, _status| -> &'static str {
            panic!("broken handler")
        });
    let client = app.test_client();

    let response = client.get("/missing").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.text(), "nothing at /missing");

    let response = client.get("/boom").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.text(), "custom 500");

    let response = client.get("/gone").await;
    assert_eq!(response.status(), StatusCode::IM_A_TEAPOT);

    let response = client.get("/own404").await;
    assert_eq!(
        response.text(),
        "my own not-found body",
        "a handler's own body is kept"
    );

    let response = client.post("/boom").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.text().contains("Internal Server Error"));
}

#[tokio::test]
async fn panicking_hooks_are_500s_not_crashes() {
    let app = App::new()
        .route(index)
        .after_request(|request, _response| {
            if request.args.contains("after") {
                panic!("after hook failed")
            }
        })
        .before_request(|request| -> Option<Response> {
            if request.args.contains("before") {
                panic!("before hook failed")
            }
            None
        });
    let client = app.test_client();
    assert_eq!(
        client.get("/?before").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        client.get("/?after").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(client.get("/").await.text(), "index");
    assert_eq!(app.panic_count(), 2);
}
