//! Every example, driven through the test client: the examples are
//! compiled into this test binary, so what they show is what is tested.

use phial::prelude::*;

use crate::server::process::ServerProcess;
use crate::support::Conn;

#[allow(dead_code)]
#[path = "../examples/files.rs"]
mod files;
#[allow(dead_code)]
#[path = "../examples/hello.rs"]
mod hello;
#[allow(dead_code)]
#[path = "../examples/json_api.rs"]
mod json_api;
#[allow(dead_code)]
#[path = "../examples/redirects_errors.rs"]
mod redirects_errors;
#[allow(dead_code)]
#[path = "../examples/request_data.rs"]
mod request_data;
#[allow(dead_code)]
#[path = "../examples/routing.rs"]
mod routing;
#[allow(dead_code)]
#[path = "../examples/sse.rs"]
mod sse;
#[allow(dead_code)]
#[path = "../examples/templates.rs"]
mod templates;
#[allow(dead_code)]
#[path = "../examples/uploads.rs"]
mod uploads;

/// Example `module`'s app as its `#[phial::main] async fn main() {}` serves
/// it: the handlers of its module.
fn app_of(module: &'static str) -> App {
    App::new().discover(module)
}

#[tokio::test]
async fn hello_says_hello() {
    let client = app_of(concat!(module_path!(), "::hello")).test_client();
    assert_eq!(client.get("/").await.text(), "<p>Hello, World!</p>");
}

#[tokio::test]
async fn routing_follows_flasks_rules() {
    let client = app_of(concat!(module_path!(), "::routing")).test_client();
    assert_eq!(client.get("/").await.text(), "Index Page");
    assert_eq!(client.get("/user/ann").await.text(), "User ann");
    assert_eq!(client.get("/post/42").await.text(), "Post 42");
    assert_eq!(
        client.get("/post/abc").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(client.get("/path/a/b/c").await.text(), "Subpath a/b/c");
    let response = client.get("/projects").await;
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(response.header("location"), Some("/projects/"));
    assert_eq!(client.get("/projects/").await.text(), "The project page");
    assert_eq!(client.get("/about/").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn files_are_served_whole_or_in_ranges() {
    let folder = std::env::temp_dir().join(format!("phial-example-files-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "0123456789").unwrap();
    let client = files::app(folder).test_client();
    let whole = client.get("/static/notes.txt").await;
    assert_eq!(whole.text(), "0123456789");
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    let part = client
        .get("/download/notes.txt")
        .header("Range", "bytes=2-4")
        .await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.text(), "234");
    assert_eq!(
        part.header("content-disposition"),
        Some("attachment; filename=\"notes.txt\"")
    );
    assert_eq!(
        client.get("/download/../etc/passwd").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn sse_counts_and_resumes_after_the_last_event_id() {
    let client = app_of(concat!(module_path!(), "::sse")).test_client();
    assert!(client
        .get("/")
        .await
        .text()
        .contains(r#"new EventSource("/counter")"#));
    let response = client.get("/counter").header("Last-Event-ID", "8").await;
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    assert_eq!(
        response.text(),
        "event: count\nid: 9\ndata: 9\n\n\
         event: count\nid: 10\ndata: 10\n\n\
         event: done\ndata: \n\n"
    );
}

#[tokio::test]
async fn request_data_logs_in_with_a_form() {
    let client = app_of(concat!(module_path!(), "::request_data")).test_client();
    assert!(client
        .get("/login")
        .await
        .text()
        .contains("<form method=post>"));
    let response = client
        .post("/login")
        .form(&[("username", "admin"), ("password", "secret")])
        .await;
    assert_eq!(response.text(), "Welcome, admin!");
    let response = client
        .post("/login")
        .form(&[("username", "admin"), ("password", "guess")])
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        client.get("/search?q=a%3Cb&page=2").await.text(),
        "Results for a&lt;b (page 2)"
    );
}

#[tokio::test]
async fn uploads_saves_under_a_safe_name_and_serves_it_back() {
    let folder = std::env::temp_dir().join(format!("phial-example-uploads-{}", std::process::id()));
    std::env::set_var("UPLOAD_FOLDER", &folder);
    let client = uploads::app().test_client();
    let body = "--B\r\nContent-Disposition: form-data; name=\"the_file\"; filename=\"../My notes.txt\"\r\n\
                Content-Type: text/plain\r\n\r\nremember the milk\r\n--B--\r\n";
    let response = client
        .post("/upload")
        .header("Content-Type", "multipart/form-data; boundary=B")
        .body(body)
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.header("location"), Some("/uploads/My_notes.txt"));
    assert_eq!(
        std::fs::read_to_string(folder.join("My_notes.txt")).unwrap(),
        "remember the milk"
    );
    assert_eq!(
        client.get("/uploads/My_notes.txt").await.text(),
        "remember the milk"
    );
    assert_eq!(
        client.get("/uploads/..%2F..%2Fetc%2Fpasswd").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn templates_render_with_the_layout() {
    let client = app_of(concat!(module_path!(), "::templates"))
        .template_folder(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/templates"
        ))
        .test_client();
    let html = client.get("/hello/%3Cb%3Eann").await.text();
    assert!(html.contains("<title>Hello - phial</title>"), "{html}");
    assert!(html.contains("<h1>Hello &lt;b&gt;ann!</h1>"), "{html}");
    assert!(client
        .get("/hello/")
        .await
        .text()
        .contains("<h1>Hello, World!</h1>"));
}

/// The templates example as its binary serves it: `#[phial::main(
/// template_folder = ...)]` points the app at the example's templates.
#[tokio::test]
async fn the_templates_binary_renders_from_its_template_folder() {
    let server = ServerProcess::spawn("templates", &[]).await;
    let mut conn = Conn::open(server.addr).await;
    let html = conn.get("/hello/ann").await.text();
    assert!(html.contains("<h1>Hello ann!</h1>"), "{html}");
    let html = Conn::open(server.addr).await.get("/hello/").await.text();
    assert!(html.contains("<h1>Hello, World!</h1>"), "{html}");
}

#[tokio::test]
async fn redirects_and_errors() {
    let client = redirects_errors::app().test_client();
    let response = client.get("/").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.header("location"), Some("/login"));
    assert_eq!(
        client.get("/login").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let response = client.get("/nowhere").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().contains("<h1>Page not found</h1>"));
}

#[tokio::test]
async fn json_api_creates_and_reads_todos() {
    let client = json_api::app().test_client();
    let response = client
        .post("/todos")
        .header("Content-Type", "application/json")
        .body(r#"{"title": "milk"}"#)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: serde_json::Value = serde_json::from_slice(response.bytes()).unwrap();
    assert_eq!(created["title"], "milk");
    let id = created["id"].as_u64().unwrap();
    let shown: serde_json::Value =
        serde_json::from_slice(client.get(&format!("/todos/{id}")).await.bytes()).unwrap();
    assert_eq!(shown, created);
    assert_eq!(
        client.get("/todos/999").await.status(),
        StatusCode::NOT_FOUND
    );
    let me: serde_json::Value = serde_json::from_slice(client.get("/me").await.bytes()).unwrap();
    assert_eq!(me["username"], "bob");
    let response = client
        .post("/todos")
        .header("Content-Type", "application/json")
        .body("{")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn json_api_keeps_each_apps_todos_in_its_state() {
    let first = json_api::app().test_client();
    let second = json_api::app().test_client();
    let response = first
        .post("/todos")
        .header("Content-Type", "application/json")
        .body(r#"{"title": "milk"}"#)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        first.get("/todos").await.text(),
        r#"[{"id":1,"title":"milk"}]"#
    );
    assert_eq!(second.get("/todos").await.text(), "[]");
    let response = second
        .post("/todos")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "milk"}"#)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response.text().contains("missing field `title`"),
        "{}",
        response.text()
    );
}
