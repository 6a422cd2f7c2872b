//! Routes found without listing them (`App::discover`, `#[phial::main]`):
//! each module's own, none twice, blueprints' under their prefix.

use phial::prelude::*;
use phial::Blueprint;

mod shop {
    use phial::prelude::*;

    #[get("/cart")]
    pub fn cart() -> &'static str {
        "shop cart"
    }

    pub mod admin {
        use phial::prelude::*;

        #[get("/admin/orders")]
        pub fn orders() -> &'static str {
            "orders"
        }
    }
}

mod blog {
    use phial::prelude::*;

    #[get("/cart")]
    pub fn cart() -> &'static str {
        "blog cart"
    }

    /// Registered by its blueprint, under `/auth`.
    #[get("/login")]
    pub fn login() -> &'static str {
        "log in"
    }

    #[get("/posts")]
    pub fn posts() -> &'static str {
        "posts"
    }
}

/// An app set up by its function, as `#[phial::main]` serves it.
mod site {
    use phial::prelude::*;

    #[get("/")]
    pub fn index() -> String {
        format!("hello {}", url_for!(about))
    }

    #[get("/about")]
    pub fn about() -> &'static str {
        "about"
    }

    #[phial::main]
    pub fn app() -> App {
        App::new().route(about)
    }
}

fn module(name: &str) -> &'static str {
    Box::leak(format!("{}::{name}", module_path!()).into_boxed_str())
}

#[tokio::test]
async fn an_app_finds_the_routes_of_its_module_and_those_inside_it_only() {
    let client = App::new().discover(module("shop")).test_client();
    assert_eq!(client.get("/cart").await.text(), "shop cart");
    assert_eq!(client.get("/admin/orders").await.text(), "orders");
    // Another module's, with the same URL even, stays out.
    assert_eq!(client.get("/posts").await.status(), StatusCode::NOT_FOUND);
    let blog = App::new().discover(module("blog")).test_client();
    assert_eq!(blog.get("/cart").await.text(), "blog cart");
    assert_eq!(
        blog.get("/admin/orders").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn blueprint_routes_are_found_once_under_their_prefix_in_either_order() {
    let auth = || {
        Blueprint::new("auth")
            .url_prefix("/auth")
            .route(blog::login)
    };
    let before = App::new()
        .register_blueprint(auth())
        .discover(module("blog"));
    let after = App::new()
        .discover(module("blog"))
        .register_blueprint(auth());
    for app in [before, after] {
        let client = app.test_client();
        assert_eq!(client.get("/auth/login").await.text(), "log in");
        assert_eq!(client.get("/login").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(client.get("/posts").await.text(), "posts");
    }
}

#[tokio::test]
async fn routes_registered_by_hand_are_not_registered_again() {
    // `route(cart)` and discovery both: one route, no "claimed twice" panic.
    let client = App::new()
        .route(shop::cart)
        .discover(module("shop"))
        .discover(module("shop"))
        .test_client();
    assert_eq!(client.get("/cart").await.text(), "shop cart");
}

#[tokio::test]
async fn the_main_attributes_app_function_adds_its_modules_other_routes() {
    let client = site::app().test_client();
    assert_eq!(client.get("/").await.text(), "hello /about");
    assert_eq!(client.get("/about").await.text(), "about");
}

#[tokio::test]
async fn the_command_line_lists_discovered_routes() {
    let mut out = Vec::new();
    App::new()
        .discover(module("shop"))
        .cli_from(["app", "routes"], &mut out)
        .await
        .unwrap();
    let table = String::from_utf8(out).unwrap();
    assert!(
        table.contains("/cart") && table.contains("/admin/orders"),
        "{table}"
    );
}
