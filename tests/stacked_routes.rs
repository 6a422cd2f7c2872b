//! Route attributes stacked on one function, as Flask stacks
//! `@app.route`: every route serves the function; a variable only some
//! routes have is an `Option`.

use phial::prelude::*;
use phial::Blueprint;

mod greeting {
    use phial::prelude::*;

    #[route("/hello/")]
    #[route("/hello/<name>")]
    pub fn hello(name: Option<&str>) -> String {
        format!("Hello, {}!", name.unwrap_or("World"))
    }

    #[get("/page/<int:id>")]
    #[phial::post("/pages/<int:id>/view")]
    pub async fn page(request: &Request, id: u32) -> String {
        format!("{} page {id}", request.method())
    }
}

use greeting::{hello, page};

#[tokio::test]
async fn each_stacked_route_calls_the_function() {
    let client = App::new().route(hello).route(page).test_client();
    assert_eq!(client.get("/hello/").await.text(), "Hello, World!");
    assert_eq!(client.get("/hello/ann").await.text(), "Hello, ann!");
    assert_eq!(client.get("/page/7").await.text(), "GET page 7");
    assert_eq!(client.post("/pages/7/view").await.text(), "POST page 7");
    assert_eq!(
        client.post("/page/7").await.status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        client.get("/page/seven").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn discovery_registers_every_stacked_route_once() {
    let client = App::new()
        .discover(concat!(module_path!(), "::greeting"))
        .test_client();
    assert_eq!(client.get("/hello/").await.text(), "Hello, World!");
    assert_eq!(client.get("/hello/bob").await.text(), "Hello, bob!");
    assert_eq!(client.post("/pages/1/view").await.text(), "POST page 1");
    // Registered by hand and discovered: still once (a second
    // registration would be a route conflict, a panic).
    let client = App::new()
        .route(hello)
        .discover(concat!(module_path!(), "::greeting"))
        .test_client();
    assert_eq!(client.get("/hello/ann").await.text(), "Hello, ann!");
}

#[tokio::test]
async fn a_blueprint_mounts_every_stacked_route_under_its_prefix() {
    let blueprint = Blueprint::new("greet").url_prefix("/greet").route(hello);
    let client = App::new().register_blueprint(blueprint).test_client();
    assert_eq!(client.get("/greet/hello/").await.text(), "Hello, World!");
    assert_eq!(client.get("/greet/hello/ann").await.text(), "Hello, ann!");
    assert_eq!(client.get("/hello/").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn url_for_picks_the_route_the_arguments_fill() {
    let _client = App::new().route(hello).route(page).test_client();
    assert_eq!(url_for!(hello), "/hello/");
    assert_eq!(url_for!(hello, name = "ann"), "/hello/ann");
    assert_eq!(url_for!(hello, tab = 2), "/hello/?tab=2");
    assert_eq!(url_for!(hello, name = "ann", tab = 2), "/hello/ann?tab=2");
    assert_eq!(url_for!(page, id = 3), "/page/3");
}

#[get("/links")]
fn links() -> Response {
    render_template("links.html", context! {})
}

#[tokio::test]
async fn url_for_in_templates_builds_the_first_stacked_route() {
    let folder = std::env::temp_dir().join(format!("phial-stacked-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("links.html"), "{{ url_for('hello') }}").unwrap();
    let client = App::new()
        .template_folder(&folder)
        .route(hello)
        .route(links)
        .test_client();
    assert_eq!(client.get("/links").await.text(), "/hello/");
    std::fs::remove_dir_all(&folder).unwrap();
}

/// Configured out: no handler, no route, no error (as for one route).
/// The `cfg` comes after the route attributes, so they see it.
#[get("/gone/")]
#[get("/gone/<name>")]
#[cfg(any())]
fn gone(name: Option<&str>) -> String {
    format!("{name:?}")
}

#[get("/kept/")]
#[get("/kept/<name>")]
#[cfg(not(any()))]
fn kept(name: Option<&str>) -> String {
    name.unwrap_or("nobody").to_owned()
}

#[tokio::test]
async fn a_cfg_on_stacked_routes_applies_to_every_route() {
    let client = App::new().route(kept).test_client();
    assert_eq!(client.get("/kept/").await.text(), "nobody");
    assert_eq!(client.get("/kept/ann").await.text(), "ann");
}
