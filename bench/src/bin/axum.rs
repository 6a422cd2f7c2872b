//! The seed endpoints on axum 0.8 with axum-extra's cookie jar.

use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar};

async fn index(jar: CookieJar) -> impl IntoResponse {
    let jar = jar.add(Cookie::build(("username", "bob")).path("/"));
    (jar, Html("Hello, World!"))
}

async fn user(jar: CookieJar) -> Html<String> {
    let username = jar.get("username").map_or("Guest", |cookie| cookie.value());
    Html(phial_bench::greeting(username))
}

#[tokio::main]
async fn main() {
    let listener = phial_bench::listener().await;
    let app = Router::new()
        .route("/", get(index))
        .route("/user", get(user));
    axum::serve(listener, app).await.unwrap();
}
