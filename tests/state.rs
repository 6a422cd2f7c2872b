//! App state: `App::state(value)`, `&State<T>` parameters, and the check
//! that refuses to start an app whose handler asks for state nobody
//! registered.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use phial::extract::State;
use phial::prelude::*;

struct Db {
    users: Mutex<Vec<String>>,
}

struct Hits(AtomicU64);

#[get("/users/<int:id>")]
fn user(db: &State<Db>, id: usize, request: &Request) -> Option<String> {
    let users = db.users.lock().unwrap();
    let name = users.get(id)?;
    Some(format!("{name} via {}", request.path()))
}

#[post("/users/<name>")]
async fn add_user(name: &str, db: &State<Db>, counter: &State<Hits>) -> String {
    tokio::task::yield_now().await;
    counter.0.fetch_add(1, Ordering::Relaxed);
    let mut users = db.users.lock().unwrap();
    users.push(name.to_owned());
    format!("{} users", users.len())
}

#[get("/hits")]
fn hits(counter: &State<Hits>) -> String {
    counter.0.load(Ordering::Relaxed).to_string()
}

fn app() -> App {
    App::new()
        .state(Db {
            users: Mutex::new(vec!["ann".to_owned()]),
        })
        .state(Hits(AtomicU64::new(0)))
        .routes(routes![user, add_user, hits])
}

#[tokio::test]
async fn handlers_share_state_of_several_types() {
    let client = app().test_client();
    assert_eq!(client.get("/users/0").await.text(), "ann via /users/0");
    assert_eq!(client.get("/users/1").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(client.post("/users/bob").await.text(), "2 users");
    assert_eq!(client.get("/users/1").await.text(), "bob via /users/1");
    assert_eq!(client.get("/hits").await.text(), "1");
}

#[tokio::test]
async fn state_registered_after_the_routes_counts_too() {
    let app = App::new().route(hits).state(Hits(AtomicU64::new(7)));
    assert_eq!(app.test_client().get("/hits").await.text(), "7");
}

/// The panic message of `f`.
fn panic_message(f: impl FnOnce()) -> String {
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .expect_err("it should have panicked");
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

#[test]
fn test_client_refuses_an_app_missing_state_naming_handler_parameter_and_type() {
    let app = App::new()
        .state(Hits(AtomicU64::new(0)))
        .routes(routes![user, add_user, hits]);
    let message = panic_message(move || drop(app.test_client()));
    assert!(message.contains("the app can't start"), "{message}");
    assert!(
        message.contains("handler `user` takes `db: &State<Db>`, but no `Db` was registered"),
        "{message}"
    );
    assert!(
        message.contains("handler `add_user` takes `db: &State<Db>`"),
        "{message}"
    );
    assert!(message.contains("add `.state(Db { ... })`"), "{message}");
    assert!(!message.contains("Hits"), "{message}");
}

#[tokio::test]
async fn run_returns_a_setup_error_before_binding() {
    // Port 1 needs privileges: had `run` tried to bind, the error would be
    // an I/O one.
    let error = App::new().route(hits).run("127.0.0.1:1").await.unwrap_err();
    assert!(error.is_setup(), "{error}");
    let message = error.to_string();
    assert!(
        message
            .contains("handler `hits` takes `counter: &State<Hits>`, but no `Hits` was registered"),
        "{message}"
    );
}

#[tokio::test]
async fn serve_returns_a_setup_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let error = App::new().route(hits).serve(listener).await.unwrap_err();
    assert!(error.is_setup(), "{error}");
}

#[test]
fn registering_a_type_twice_is_refused() {
    let message = panic_message(|| {
        let _ = App::new()
            .state(Hits(AtomicU64::new(0)))
            .state(Hits(AtomicU64::new(1)));
    });
    assert!(message.contains("is already registered"), "{message}");
    assert!(message.contains("Hits"), "{message}");
}

#[tokio::test]
async fn an_app_without_state_needs_none() {
    #[get("/")]
    fn index() -> &'static str {
        "plain"
    }
    let client = App::new().route(index).test_client();
    assert_eq!(client.get("/").await.text(), "plain");
}
