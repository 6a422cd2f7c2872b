//! Routing through the test client: converters, priorities, return types,
//! methods, HEAD/OPTIONS/405/404, Flask's trailing-slash rule, conflicts.

use phial::prelude::*;
use phial::{Bytes, Uuid};

// ---- converters -----------------------------------------------------------

#[get("/user/<int:id>")]
fn user_by_id(id: u32) -> String {
    format!("user #{id}")
}

#[get("/user/me")]
fn user_me() -> &'static str {
    "me"
}

#[get("/user/<name>")]
fn user_by_name(name: &str) -> String {
    format!("user {name}")
}

#[get("/small/<int:n>")]
fn small(n: u8) -> String {
    format!("small {n}")
}

#[get("/small/<name>")]
fn small_fallback(name: String) -> String {
    format!("not small: {name}")
}

#[get("/byte/<int:n>")]
fn byte(n: u8) -> String {
    format!("byte {n}")
}

#[get("/files/<path:rest>")]
fn files(rest: &str) -> String {
    format!("file {rest}")
}

#[get("/item/<uuid:id>")]
fn item(id: Uuid) -> String {
    format!("item {id}")
}

#[get("/scale/<float:x>")]
fn scale(x: f64) -> String {
    format!("scale {}", x * 2.0)
}

#[get("/signed/<int:n>")]
fn signed(n: i64) -> String {
    format!("signed {n}")
}

#[get("/order/<int:a>/<b>/<float:c>")]
fn order(c: f32, request: &Request, b: String, a: usize) -> String {
    format!("{} a={a} b={b} c={c}", request.method())
}

fn converter_app() -> App {
    App::new().routes(routes![
        user_by_id,
        user_me,
        user_by_name,
        small,
        small_fallback,
        byte,
        files,
        item,
        scale,
        signed,
        order,
    ])
}

async fn get_text(client: &phial::TestClient, path: &str) -> (StatusCode, String) {
    let response = client.get(path).await;
    (response.status(), response.text())
}

#[tokio::test]
async fn int_converter_matches_digits_only() {
    let client = converter_app().test_client();
    assert_eq!(
        get_text(&client, "/user/42").await,
        (StatusCode::OK, "user #42".into())
    );
    assert_eq!(
        get_text(&client, "/byte/007").await,
        (StatusCode::OK, "byte 7".into())
    );
    assert_eq!(
        client.get("/byte/abc").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(client.get("/byte/-1").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        client.get("/byte/1.5").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        client.get("/signed/-1").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_text(&client, "/signed/12").await,
        (StatusCode::OK, "signed 12".into())
    );
}

#[tokio::test]
async fn int_too_large_for_the_parameter_falls_through_to_the_next_route() {
    let client = converter_app().test_client();
    assert_eq!(
        get_text(&client, "/small/200").await,
        (StatusCode::OK, "small 200".into())
    );
    assert_eq!(
        get_text(&client, "/small/300").await,
        (StatusCode::OK, "not small: 300".into())
    );
}

#[tokio::test]
async fn int_too_large_with_no_other_route_is_404_not_405() {
    let client = converter_app().test_client();
    let response = client.get("/byte/300").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.header("allow"), None);
}

#[tokio::test]
async fn path_converter_keeps_slashes() {
    let client = converter_app().test_client();
    assert_eq!(
        get_text(&client, "/files/a/b/c.txt").await,
        (StatusCode::OK, "file a/b/c.txt".into())
    );
    assert_eq!(
        get_text(&client, "/files/one").await,
        (StatusCode::OK, "file one".into())
    );
    assert_eq!(client.get("/files/").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn uuid_converter_matches_hyphenated_uuids() {
    let client = converter_app().test_client();
    assert_eq!(
        get_text(&client, "/item/67e55044-10b1-426f-9247-bb680e5fe0c8").await,
        (
            StatusCode::OK,
            "item 67e55044-10b1-426f-9247-bb680e5fe0c8".into()
        )
    );
    assert_eq!(
        client.get("/item/67e55044").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        client
            .get("/item/67e55044-10b1-426f-9247-bb680e5fe0cz")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn float_converter_needs_a_dot() {
    let client = converter_app().test_client();
    assert_eq!(
        get_text(&client, "/scale/1.25").await,
        (StatusCode::OK, "scale 2.5".into())
    );
    assert_eq!(client.get("/scale/3").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        client.get("/scale/x.5").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn static_beats_int_beats_string() {
    let client = converter_app().test_client();
    assert_eq!(get_text(&client, "/user/me").await.1, "me");
    assert_eq!(get_text(&client, "/user/7").await.1, "user #7");
    assert_eq!(get_text(&client, "/user/bob").await.1, "user bob");
    assert_eq!(get_text(&client, "/user/-7").await.1, "user -7");
}

#[post("/user/<name>")]
fn rename_user(name: &str) -> String {
    format!("renamed {name}")
}

/// The router tries routes with variables only when no static route of the
/// path answers the method: a static match that doesn't must still fall
/// through to them, and 405/OPTIONS still name every route's methods.
#[tokio::test]
async fn static_path_without_the_method_falls_through_to_routes_with_variables() {
    let app = converter_app().route(rename_user);
    let client = app.test_client();
    assert_eq!(get_text(&client, "/user/me").await.1, "me");
    let renamed = client.post("/user/me").await;
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(renamed.text(), "renamed me");
    let refused = client.put("/user/me").await;
    assert_eq!(refused.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(refused.header("allow"), Some("GET, HEAD, OPTIONS, POST"));
    let options = client.options("/user/me").await;
    assert_eq!(options.header("allow"), Some("GET, HEAD, OPTIONS, POST"));
}

#[tokio::test]
async fn route_variables_bind_by_name_in_any_order() {
    let client = converter_app().test_client();
    assert_eq!(
        get_text(&client, "/order/3/x/0.5").await,
        (StatusCode::OK, "GET a=3 b=x c=0.5".into())
    );
}

#[tokio::test]
async fn percent_encoded_segments_are_decoded() {
    let client = converter_app().test_client();
    assert_eq!(
        get_text(&client, "/user/J%C3%BCrgen").await.1,
        "user Jürgen"
    );
    assert_eq!(get_text(&client, "/user/a%20b").await.1, "user a b");
    assert_eq!(get_text(&client, "/user/%34%32").await.1, "user #42");
}

// ---- return types ---------------------------------------------------------

#[get("/static-str")]
fn returns_static_str() -> &'static str {
    "<b>static</b>"
}

#[get("/string")]
async fn returns_string() -> String {
    "owned".to_owned()
}

#[get("/response")]
fn returns_response() -> Response {
    make_response("made")
        .with_status(StatusCode::CREATED)
        .with_header("x-made", "yes")
}

#[get("/tuple")]
fn returns_tuple() -> (StatusCode, &'static str) {
    (StatusCode::IM_A_TEAPOT, "short and stout")
}

#[get("/vec")]
fn returns_vec() -> Vec<u8> {
    vec![0, 1, 2]
}

#[get("/bytes")]
async fn returns_bytes() -> Bytes {
    Bytes::from_static(b"raw")
}

#[get("/result/<int:n>")]
fn returns_result(n: u32) -> Result<String, (StatusCode, &'static str)> {
    if n % 2 == 0 {
        Ok(format!("{n} is even"))
    } else {
        Err((StatusCode::BAD_REQUEST, "odd"))
    }
}

#[get("/option/<int:n>")]
async fn returns_option(n: u32) -> Option<String> {
    (n > 0).then(|| format!("positive {n}"))
}

fn returns_app() -> App {
    App::new().routes(routes![
        returns_static_str,
        returns_string,
        returns_response,
        returns_tuple,
        returns_vec,
        returns_bytes,
        returns_result,
        returns_option,
    ])
}

const HTML: &str = "text/html; charset=utf-8";

#[tokio::test]
async fn every_return_type_becomes_a_response() {
    let client = returns_app().test_client();
    let check = |path: &'static str, status, content_type, body: &'static [u8]| {
        let client = client.clone();
        async move {
            let response = client.get(path).await;
            assert_eq!(response.status(), status, "{path}");
            assert_eq!(response.header("content-type"), content_type, "{path}");
            assert_eq!(&response.bytes()[..], body, "{path}");
        }
    };
    check("/static-str", StatusCode::OK, Some(HTML), b"<b>static</b>").await;
    check("/string", StatusCode::OK, Some(HTML), b"owned").await;
    check("/response", StatusCode::CREATED, Some(HTML), b"made").await;
    check(
        "/tuple",
        StatusCode::IM_A_TEAPOT,
        Some(HTML),
        b"short and stout",
    )
    .await;
    let octets = Some("application/octet-stream");
    check("/vec", StatusCode::OK, octets, &[0, 1, 2]).await;
    check("/bytes", StatusCode::OK, octets, b"raw").await;
    check("/result/4", StatusCode::OK, Some(HTML), b"4 is even").await;
    check("/result/3", StatusCode::BAD_REQUEST, Some(HTML), b"odd").await;
    check("/option/2", StatusCode::OK, Some(HTML), b"positive 2").await;
    let response = client.get("/option/0").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().contains("Not Found"), "{}", response.text());
    assert_eq!(client.get("/response").await.header("x-made"), Some("yes"));
}

// ---- methods --------------------------------------------------------------

#[route("/login", methods = ["GET", "POST"])]
fn login(request: &Request) -> String {
    format!("login via {}", request.method())
}

#[route("/lower", methods = ["get", "put"])]
fn lower(request: &Request) -> String {
    format!("lower via {}", request.method())
}

#[route("/default")]
fn default_get() -> &'static str {
    "default"
}

#[get("/thing")]
fn thing_get() -> &'static str {
    "get thing"
}

#[post("/thing")]
fn thing_post() -> &'static str {
    "post thing"
}

#[put("/thing")]
fn thing_put() -> &'static str {
    "put thing"
}

#[patch("/thing")]
fn thing_patch() -> &'static str {
    "patch thing"
}

#[delete("/thing")]
async fn thing_delete() -> &'static str {
    "delete thing"
}

#[post("/only-post")]
fn only_post() -> &'static str {
    "posted"
}

fn methods_app() -> App {
    App::new().routes(routes![
        login,
        lower,
        default_get,
        thing_get,
        thing_post,
        thing_put,
        thing_patch,
        thing_delete,
        only_post,
    ])
}

#[tokio::test]
async fn methods_list_answers_each_method() {
    let client = methods_app().test_client();
    assert_eq!(client.get("/login").await.text(), "login via GET");
    assert_eq!(client.post("/login").await.text(), "login via POST");
    assert_eq!(client.put("/lower").await.text(), "lower via PUT");
    assert_eq!(client.get("/lower").await.text(), "lower via GET");
    assert_eq!(
        client.post("/default").await.status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(client.get("/default").await.text(), "default");
}

#[tokio::test]
async fn each_shorthand_answers_its_method() {
    let client = methods_app().test_client();
    assert_eq!(client.get("/thing").await.text(), "get thing");
    assert_eq!(client.post("/thing").await.text(), "post thing");
    assert_eq!(client.put("/thing").await.text(), "put thing");
    assert_eq!(client.patch("/thing").await.text(), "patch thing");
    assert_eq!(client.delete("/thing").await.text(), "delete thing");
}

#[tokio::test]
async fn head_on_a_get_route_has_no_body_and_the_get_length() {
    let client = methods_app().test_client();
    let response = client.head("/login").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().is_empty());
    assert_eq!(
        response.header("content-length"),
        Some("login via HEAD".len().to_string().as_str())
    );
    assert_eq!(response.header("content-type"), Some(HTML));
    assert_eq!(
        client.head("/only-post").await.status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn options_lists_allowed_methods() {
    let client = methods_app().test_client();
    let response = client.options("/thing").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.header("allow"),
        Some("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT")
    );
    assert!(response.bytes().is_empty());
    let response = client.options("/only-post").await;
    assert_eq!(response.header("allow"), Some("OPTIONS, POST"));
    assert_eq!(
        client.options("/nowhere").await.status(),
        StatusCode::NOT_FOUND
    );
}

/// Flask's `default_options_response`: a plain `Response()` with `Allow`,
/// so `text/html; charset=utf-8`, an empty body and `Content-Length: 0`.
#[tokio::test]
async fn options_is_an_empty_html_response_as_in_flask() {
    let client = methods_app().test_client();
    let response = client.options("/only-post").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.header("content-type"), Some(HTML));
    assert_eq!(response.header("content-length"), Some("0"));
    assert_eq!(response.header("allow"), Some("OPTIONS, POST"));
    assert!(response.bytes().is_empty());
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let client = methods_app().test_client();
    let response = client.get("/only-post").await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("allow"), Some("OPTIONS, POST"));
    assert!(response.text().contains("Method Not Allowed"));
    let response = client.delete("/login").await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("allow"), Some("GET, HEAD, OPTIONS, POST"));
}

#[tokio::test]
async fn unknown_path_is_a_404_page() {
    let client = methods_app().test_client();
    let response = client.get("/nowhere").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.header("content-type"), Some(HTML));
    assert!(response.text().contains("Not Found"), "{}", response.text());
    assert_eq!(response.header("allow"), None);
}

// ---- trailing slashes -----------------------------------------------------

#[get("/projects/")]
fn projects() -> &'static str {
    "projects"
}

#[get("/about")]
fn about() -> &'static str {
    "about"
}

#[get("/team/<name>/")]
fn team(name: &str) -> String {
    format!("team {name}")
}

fn slash_app() -> App {
    App::new().routes(routes![projects, about, team])
}

#[tokio::test]
async fn route_with_slash_redirects_the_url_without_it() {
    let client = slash_app().test_client();
    let response = client.get("/projects").await;
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(response.header("location"), Some("/projects/"));
    let response = client.get("/projects?page=2&q=a%20b").await;
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        response.header("location"),
        Some("/projects/?page=2&q=a%20b")
    );
    assert_eq!(client.get("/projects/").await.text(), "projects");
    let response = client.get("/team/red").await;
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(response.header("location"), Some("/team/red/"));
    assert_eq!(client.get("/team/red/").await.text(), "team red");
    let response = client.get("/team/J%C3%BCrgen").await;
    assert_eq!(response.header("location"), Some("/team/J%C3%BCrgen/"));
    assert_eq!(client.get("/team/J%C3%BCrgen/").await.text(), "team Jürgen");
}

#[tokio::test]
async fn route_without_slash_does_not_answer_the_url_with_it() {
    let client = slash_app().test_client();
    assert_eq!(client.get("/about").await.text(), "about");
    assert_eq!(client.get("/about/").await.status(), StatusCode::NOT_FOUND);
}

// ---- registration ---------------------------------------------------------

#[get("/same")]
fn first_same() -> &'static str {
    "first"
}

#[route("/same", methods = ["POST", "GET"])]
fn second_same() -> &'static str {
    "second"
}

#[get("/var/<a>")]
fn var_a(a: &str) -> String {
    a.to_owned()
}

#[get("/var/<b>")]
fn var_b(b: &str) -> String {
    b.to_owned()
}

#[test]
#[should_panic(expected = "route conflict: `first_same` (/same) and `second_same` (/same)")]
fn same_pattern_and_method_panics_naming_both_handlers() {
    let _ = App::new().route(first_same).route(second_same);
}

#[test]
#[should_panic(expected = "`var_a` (/var/<a>) and `var_b` (/var/<b>)")]
fn same_pattern_with_other_variable_names_conflicts() {
    let _ = App::new().routes(routes![var_a, var_b]);
}

#[tokio::test]
async fn same_pattern_with_other_methods_is_fine() {
    let client = App::new().route(thing_get).route(thing_post).test_client();
    assert_eq!(client.post("/thing").await.text(), "post thing");
}

#[tokio::test]
async fn routes_macro_registers_each_handler() {
    let client = App::new().routes(routes![about, projects,]).test_client();
    assert_eq!(client.get("/about").await.text(), "about");
    assert_eq!(client.get("/projects/").await.text(), "projects");
}
