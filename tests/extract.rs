//! Typed handler arguments: `Query<T>`, `Form<T>`, `Json<T>`, and an app's
//! own `FromRequest` types (a `login_required`-style guard).

use phial::extract::{AppCheck, Form, FromRequest, Query, RequestCx, State};
use phial::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Search {
    q: String,
    #[serde(default)]
    page: u32,
    #[serde(default)]
    tag: Vec<String>,
}

#[get("/search")]
fn search(Query(search): Query<Search>) -> String {
    format!("{} page {} tags {:?}", search.q, search.page, search.tag)
}

#[derive(Deserialize)]
struct Login {
    username: String,
    age: u8,
}

#[post("/login")]
fn login(form: Form<Login>) -> String {
    format!("{} ({})", form.0.username, form.0.age)
}

#[derive(Deserialize)]
struct NewTodo {
    title: String,
    done: bool,
}

#[post("/todos")]
async fn create(Json(todo): Json<NewTodo>) -> String {
    format!("{} {}", todo.title, todo.done)
}

fn app() -> App {
    App::new().routes(routes![search, login, create])
}

#[tokio::test]
async fn query_fills_a_struct() {
    let client = app().test_client();
    let response = client.get("/search?q=rust%20web&page=2&tag=a&tag=b").await;
    assert_eq!(response.text(), r#"rust web page 2 tags ["a", "b"]"#);
    assert_eq!(client.get("/search?q=x").await.text(), "x page 0 tags []");
}

#[tokio::test]
async fn query_refusals_name_the_field() {
    let client = app().test_client();
    let response = client.get("/search?page=2").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response.text().contains("missing field `q`"),
        "{}",
        response.text()
    );
    let response = client.get("/search?q=x&page=two").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().contains("`page`"), "{}", response.text());
}

#[tokio::test]
async fn form_fills_a_struct_from_urlencoded_and_multipart_bodies() {
    let client = app().test_client();
    let response = client
        .post("/login")
        .form(&[("username", "ann"), ("age", "30")])
        .await;
    assert_eq!(response.text(), "ann (30)");
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nbob\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"age\"\r\n\r\n41\r\n\
         --{boundary}--\r\n"
    );
    let response = client
        .post("/login")
        .header(
            "Content-Type",
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .await;
    assert_eq!(response.text(), "bob (41)");
}

#[tokio::test]
async fn form_refusals_name_the_field_or_the_content_type() {
    let client = app().test_client();
    let response = client.post("/login").form(&[("username", "ann")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response.text().contains("missing field `age`"),
        "{}",
        response.text()
    );
    let response = client
        .post("/login")
        .form(&[("username", "ann"), ("age", "300")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.text(),
        "invalid form: `age`: number too large to fit in target type"
    );
    let response = client
        .post("/login")
        .form(&[("username", "ann"), ("age", "abc")])
        .await;
    assert_eq!(
        response.text(),
        "invalid form: `age`: invalid digit found in string"
    );
    let response = client
        .post("/login")
        .header("Content-Type", "application/json")
        .body(r#"{"username": "ann", "age": 3}"#)
        .await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        response.text().contains("application/json"),
        "{}",
        response.text()
    );
}

#[tokio::test]
async fn json_argument_reads_the_body_and_names_a_bad_field() {
    let client = app().test_client();
    let post = |body: &'static str| {
        client
            .post("/todos")
            .header("Content-Type", "application/json")
            .body(body)
    };
    assert_eq!(
        post(r#"{"title": "milk", "done": false}"#).await.text(),
        "milk false"
    );
    let response = post(r#"{"title": "milk", "done": "no"}"#).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: serde_json::Value = serde_json::from_slice(response.bytes()).unwrap();
    let message = error["error"].as_str().unwrap();
    assert!(message.contains("`done`"), "{message}");
    let response = post(r#"{"done": true}"#).await;
    assert!(
        response.text().contains("missing field `title`"),
        "{}",
        response.text()
    );
    let response = client.post("/todos").body("{}").await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

/// A `login_required` guard: the user named in the session, or a redirect
/// to the login page.
struct CurrentUser {
    name: String,
}

impl<'a> FromRequest<'a> for CurrentUser {
    type Rejection = Response;

    async fn from_request(cx: RequestCx<'a>) -> Result<Self, Response> {
        match cx.request().session.get_as::<String>("user") {
            Some(name) => Ok(CurrentUser { name }),
            None => Err(redirect("/auth/login")),
        }
    }
}

#[get("/profile/<int:id>")]
fn profile(id: u32, user: CurrentUser) -> String {
    format!("{} #{id}", user.name)
}

#[post("/auth/login/<name>")]
fn log_in(name: &str, request: &Request) -> &'static str {
    request.session.insert("user", name);
    "in"
}

const KEY: &str = "a test secret key that is long enough to sign sessions";

#[tokio::test]
async fn a_guard_redirects_strangers_and_lets_users_in() {
    let client = App::new()
        .secret_key(KEY)
        .routes(routes![profile, log_in])
        .test_client();
    let response = client.get("/profile/3").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.header("location"), Some("/auth/login"));
    client.post("/auth/login/ann").await;
    assert_eq!(client.get("/profile/3").await.text(), "ann #3");
}

/// An extractor that awaits, reads state, and declares the state it needs.
struct Greeting(String);

struct Greeter {
    word: &'static str,
}

impl<'a> FromRequest<'a> for Greeting {
    type Rejection = (StatusCode, &'static str);

    async fn from_request(cx: RequestCx<'a>) -> Result<Self, Self::Rejection> {
        tokio::task::yield_now().await;
        let greeter = cx
            .state::<Greeter>()
            .ok_or((StatusCode::INTERNAL_SERVER_ERROR, "no greeter"))?;
        let name = cx.request().args.get("name", "");
        if name.is_empty() {
            return Err((StatusCode::BAD_REQUEST, "who?"));
        }
        Ok(Greeting(format!("{} {name}", greeter.word)))
    }

    fn check(app: &AppCheck<'_>) -> Result<(), String> {
        app.require_state::<Greeter>()
    }
}

#[get("/greet")]
async fn greet(greeting: Greeting, greeter: &State<Greeter>) -> String {
    format!("{}! ({})", greeting.0, greeter.word.len())
}

#[tokio::test]
async fn an_async_extractor_answers_early_or_feeds_the_handler() {
    let client = App::new()
        .state(Greeter { word: "hello" })
        .route(greet)
        .test_client();
    assert_eq!(client.get("/greet?name=ann").await.text(), "hello ann! (5)");
    let response = client.get("/greet").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.text(), "who?");
}

#[test]
fn an_extractors_own_check_stops_the_app() {
    let app = App::new().route(greet);
    let client = std::panic::AssertUnwindSafe(move || drop(app.test_client()));
    let panic = std::panic::catch_unwind(client).unwrap_err();
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("handler `greet` takes `greeting: Greeting`, but no `Greeter`"),
        "{message}"
    );
    assert!(
        message.contains("handler `greet` takes `greeter: &State<Greeter>`"),
        "{message}"
    );
}

#[tokio::test]
async fn a_panicking_extractor_is_a_500() {
    struct Boom;
    impl<'a> FromRequest<'a> for Boom {
        type Rejection = Response;
        async fn from_request(_: RequestCx<'a>) -> Result<Self, Response> {
            panic!("boom")
        }
    }
    #[get("/")]
    fn index(_boom: Boom) -> &'static str {
        "never"
    }
    let app = App::new().route(index);
    let response = app.test_client().get("/").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.panic_count(), 1);
}
