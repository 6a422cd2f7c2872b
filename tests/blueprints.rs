//! Blueprints: routes under a prefix named `blueprint.handler`, their own
//! hooks and error pages, app-wide hooks, templates and static files, and
//! `url_for!` that includes the prefix.

use phial::prelude::*;
use phial::Blueprint;

mod auth {
    use phial::prelude::*;

    #[route("/login", methods = ["GET", "POST"])]
    pub fn login() -> String {
        format!("login at {}", url_for!(login))
    }

    #[get("/")]
    pub fn home() -> &'static str {
        "auth home"
    }

    #[get("/secret")]
    pub fn secret() -> Result<&'static str, phial::Abort> {
        Err(abort(403))
    }

    #[get("/page")]
    pub fn page() -> Response {
        render_template("auth_page.html", context! {})
    }
}

mod blog {
    use phial::prelude::*;

    #[get("/login")]
    pub fn login() -> &'static str {
        "blog login"
    }
}

#[get("/")]
fn index(request: &Request) -> String {
    let seen = request.g.get::<bool>("app_hook").unwrap_or(false);
    format!(
        "index app_hook={seen} bp_hook={}",
        request.g.contains("bp_hook")
    )
}

#[get("/boom")]
fn boom() -> Result<&'static str, phial::Abort> {
    Err(abort(403))
}

#[get("/links")]
fn links() -> String {
    format!("{} {}", url_for!(auth::login), url_for!(index))
}

fn auth_blueprint() -> Blueprint {
    Blueprint::new("auth")
        .url_prefix("/auth")
        .routes(routes![auth::login, auth::home, auth::secret, auth::page])
        .before_request(|request| {
            request.g.insert("bp_hook", true);
            None::<Response>
        })
        .after_request(|request, response| {
            let seen = request.g.contains("bp_hook");
            response.set_header("X-Auth-Hook", seen.to_string());
        })
        .before_app_request(|request| {
            request.g.insert("app_hook", true);
            None::<Response>
        })
        .errorhandler(403, |_request, _status| "auth says no")
        .template_folder(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/blueprint_templates"
        ))
        .static_folder(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/blueprint_static"
        ))
}

fn app() -> App {
    App::new()
        .routes(routes![index, boom, links])
        .errorhandler(403, |_request, _status| "app says no")
        .register_blueprint(auth_blueprint())
}

#[tokio::test]
async fn blueprint_routes_answer_under_their_prefix() {
    let client = app().test_client();
    assert_eq!(
        client.get("/auth/login").await.text(),
        "login at /auth/login"
    );
    assert_eq!(client.get("/auth/").await.text(), "auth home");
    assert_eq!(client.get("/login").await.status(), StatusCode::NOT_FOUND);
    // Flask's rule for a route ending in `/`: the URL without it redirects.
    assert_eq!(
        client.get("/auth").await.status(),
        StatusCode::PERMANENT_REDIRECT
    );
}

#[tokio::test]
async fn blueprint_hooks_run_only_for_its_routes_and_app_hooks_for_all() {
    let client = app().test_client();
    let response = client.get("/").await;
    assert_eq!(response.text(), "index app_hook=true bp_hook=false");
    assert_eq!(response.header("x-auth-hook"), None);
    let response = client.get("/auth/login").await;
    assert_eq!(response.header("x-auth-hook"), Some("true"));
}

#[tokio::test]
async fn blueprint_error_handlers_come_before_the_apps() {
    let client = app().test_client();
    let response = client.get("/auth/secret").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(response.text(), "auth says no");
    let response = client.get("/boom").await;
    assert_eq!(response.text(), "app says no");
}

#[tokio::test]
async fn url_for_includes_the_prefix_in_rust_and_in_templates() {
    let client = app().test_client();
    assert_eq!(client.get("/links").await.text(), "/auth/login /");
    let page = client.get("/auth/page").await.text();
    assert_eq!(
        page.trim(),
        "auth page: /auth/login / /auth/static/auth.css"
    );
}

#[tokio::test]
async fn blueprint_static_files_are_served_under_its_prefix() {
    let client = app().test_client();
    let response = client.get("/auth/static/auth.css").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().trim(), "body { color: teal }");
}

#[test]
fn two_blueprints_claiming_one_route_are_refused_naming_both() {
    let other = Blueprint::new("blog")
        .url_prefix("/auth")
        .route(blog::login);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        app().register_blueprint(other)
    }));
    let message = *result.unwrap_err().downcast::<String>().unwrap();
    assert!(message.contains("auth.login"), "{message}");
    assert!(message.contains("blog.login"), "{message}");
}

#[test]
fn a_blueprint_name_is_registered_once() {
    let register = || app().register_blueprint(Blueprint::new("auth"));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(register));
    let message = *result.unwrap_err().downcast::<String>().unwrap();
    assert!(
        message.contains("`auth` is registered already"),
        "{message}"
    );
}
