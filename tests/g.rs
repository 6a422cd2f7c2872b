//! `g`: a per-request namespace filled by hooks, read by handlers (typed)
//! and by templates (`g.user`), beside Flask's `request` and `session`
//! template globals.

use phial::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
struct User {
    name: String,
    admin: bool,
}

#[route("/whoami")]
fn whoami(request: &Request) -> String {
    let user = request.g.get::<User>("user");
    // Another type under the same name reads as absent.
    let as_text = request.g.get::<String>("user");
    format!("{user:?} {as_text:?} {:?}", request.g.names())
}

#[route("/page", methods = ["GET", "POST"])]
fn page(request: &Request) -> Response {
    request.session.insert("theme", "dark");
    render_template("globals.html", context! {})
}

#[route("/forget")]
fn forget(request: &Request) -> String {
    let removed = request.g.remove("user");
    format!("{removed} {}", request.g.contains("user"))
}

/// Loads the user into `g` from a cookie, as flaskr's `load_logged_in_user`.
fn app() -> App {
    App::new()
        .secret_key([7u8; 32])
        .template_folder(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/templates"
        ))
        .before_request(|request| {
            if let Some(name) = request.cookies.get("name", None) {
                let user = User {
                    name: name.to_owned(),
                    admin: name == "root",
                };
                request.g.insert("user", user);
            }
            None::<Response>
        })
        .routes(routes![whoami, page, forget])
}

#[tokio::test]
async fn a_hook_fills_g_and_the_handler_reads_it_typed() {
    let client = app().test_client();
    let response = client.get("/whoami").await;
    assert_eq!(response.text(), "None None []");
    client.set_cookie("name", "ann");
    let response = client.get("/whoami").await;
    assert_eq!(
        response.text(),
        "Some(User { name: \"ann\", admin: false }) None [\"user\"]"
    );
}

#[tokio::test]
async fn g_lives_for_one_request() {
    let client = app().test_client();
    client.set_cookie("name", "ann");
    assert_eq!(client.get("/forget").await.text(), "true false");
    client.clear_cookies();
    assert_eq!(client.get("/forget").await.text(), "false false");
}

#[tokio::test]
async fn templates_see_g_request_and_session() {
    let client = app().test_client();
    let response = client.get("/page?q=rust").await;
    assert_eq!(
        response.text().trim(),
        "anonymous\nmethod=GET path=/page q=rust title=\ntheme=dark"
    );
    client.set_cookie("name", "root");
    let response = client
        .post("/page")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("title=<Hi>&title=second")
        .await;
    assert_eq!(
        response.text().trim(),
        "user=root admin=True\nmethod=POST path=/page q= title=&lt;Hi&gt;\ntheme=dark"
    );
}
