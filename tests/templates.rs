//! Templates: render_template with inheritance, includes, autoescape,
//! and errors that name the file.

use phial::prelude::*;

#[get("/hello/<name>")]
fn hello(name: &str) -> Response {
    render_template("hello.html", context! { name })
}

#[get("/anonymous")]
fn anonymous() -> Response {
    render_template("hello.html", context! {})
}

#[get("/letter/<name>")]
fn letter(name: &str) -> Response {
    render_template("letter.txt", context! { name })
}

#[get("/broken")]
fn broken() -> Response {
    render_template("broken.html", context! {})
}

#[get("/missing")]
fn missing() -> Response {
    render_template("nope.html", context! {})
}

fn app() -> App {
    App::new()
        .template_folder(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/templates"
        ))
        .routes(routes![hello, anonymous, letter, broken, missing])
}

#[tokio::test]
async fn renders_with_inheritance_and_includes() {
    let client = app().test_client();
    let response = client.get("/hello/bob").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = response.text();
    assert!(html.contains("<title>Hello</title>"), "{html}");
    assert!(html.contains("<h1>Hello bob!</h1>"), "{html}");
    assert!(html.contains("<footer>made with phial</footer>"), "{html}");
    assert!(client
        .get("/anonymous")
        .await
        .text()
        .contains("<h1>Hello, World!</h1>"));
}

#[tokio::test]
async fn html_templates_escape_values_and_text_templates_do_not() {
    let client = app().test_client();
    let html = client.get("/hello/%3Cscript%3E").await.text();
    assert!(html.contains("<h1>Hello &lt;script&gt;!</h1>"), "{html}");
    let response = client.get("/letter/%3Cb%3E").await;
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(response.text(), "Dear <b>,");
}

#[tokio::test]
async fn template_errors_are_500_pages_and_log_file_and_line() {
    let (logs, _capturing) = crate::support::Logs::capture();
    let client = app().test_client();
    let response = client.get("/broken").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!response.text().contains("line one"));
    let logged = logs.lines_with("template `broken.html` failed").join("\n");
    assert!(logged.contains("broken.html:2"), "{}", logs.text());
    assert_eq!(
        client.get("/missing").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[test]
fn render_template_outside_a_request_is_a_500() {
    let response = render_template("hello.html", context! {});
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[test]
fn escape_neutralises_markup() {
    assert_eq!(
        phial::escape("<a href=\"x\">&'</a>"),
        "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;"
    );
}

#[get("/page")]
fn page() -> Response {
    render_template("page.html", context! {})
}

#[tokio::test]
async fn templates_reload_on_change_only_in_debug_mode() {
    for debug in [true, false] {
        let folder = std::env::temp_dir().join(format!(
            "phial-templates-reload-{debug}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("page.html"), "first").unwrap();
        let client = App::new()
            .debug(debug)
            .template_folder(&folder)
            .route(page)
            .test_client();
        assert_eq!(client.get("/page").await.text(), "first");
        std::fs::write(folder.join("page.html"), "second, longer").unwrap();
        let expected = if debug { "second, longer" } else { "first" };
        assert_eq!(client.get("/page").await.text(), expected, "debug={debug}");
    }
}

#[get("/links")]
fn links() -> Response {
    render_template("links.html", context! {})
}

#[get("/bad-link")]
fn bad_link() -> Response {
    render_template("bad_link.html", context! {})
}

#[tokio::test]
async fn url_for_in_templates_builds_routed_urls() {
    let client = app().route(links).route(bad_link).test_client();
    let html = client.get("/links").await.text();
    // Escaped as Jinja escapes Flask's `url_for` (`&amp;`, `/` as is), which
    // a browser decodes back to `/hello/a%20b&c`.
    assert!(
        html.contains(r#"<a href="/hello/a%20b&amp;c">hi</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/anonymous?page=2">page</a>"#),
        "{html}"
    );
    assert_eq!(client.get("/hello/a%20b&c").await.status(), StatusCode::OK);
    assert_eq!(
        client.get("/bad-link").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[get("/static-link")]
fn static_link() -> Response {
    render_template("static_link.html", context! {})
}

#[tokio::test]
async fn url_for_static_names_the_static_files_as_in_flask() {
    let client = app().route(static_link).test_client();
    assert_eq!(
        client.get("/static-link").await.text().trim(),
        r#"<link href="/static/css/a%20b.css">"#
    );
    let client = app()
        .static_url_path("/assets")
        .route(static_link)
        .test_client();
    assert_eq!(
        client.get("/static-link").await.text().trim(),
        r#"<link href="/assets/css/a%20b.css">"#
    );
    // No static files: `url_for('static')` is a template error (a 500).
    let client = app()
        .without_static_files()
        .route(static_link)
        .test_client();
    assert_eq!(
        client.get("/static-link").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

/// A row as an app reads it, with its timestamp column.
#[derive(serde::Serialize)]
struct Post {
    title: &'static str,
    created: phial::DateTime,
}

#[get("/dates")]
fn dates() -> Response {
    let posts = vec![Post {
        title: "First",
        created: "2018-01-01 09:05:07".parse().unwrap(),
    }];
    render_template("dates.html", context! { posts })
}

#[tokio::test]
async fn dates_in_templates_format_with_strftime_as_python_datetimes() {
    let folder = std::env::temp_dir().join(format!("phial-templates-dates-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("dates.html"),
        "{% for post in posts %}{{ post.title }}: {{ post.created.strftime('%Y-%m-%d %I %p') }} \
         [{{ post.created }}]{% endfor %}",
    )
    .unwrap();
    let client = App::new()
        .template_folder(&folder)
        .route(dates)
        .test_client();
    assert_eq!(
        client.get("/dates").await.text(),
        "First: 2018-01-01 09 AM [2018-01-01 09:05:07]"
    );
    // Outside a template, the text.
    let created: phial::DateTime = "2018-01-01T09:05:07.25".parse().unwrap();
    assert_eq!(
        serde_json::to_string(&created).unwrap(),
        "\"2018-01-01 09:05:07.250000\""
    );
    assert!("yesterday".parse::<phial::DateTime>().is_err());
    assert!(created
        .strftime("%Q")
        .unwrap_err()
        .to_string()
        .contains("%Q"));
}

#[get("/escaping")]
fn escaping() -> Response {
    render_template(
        "escaping.html",
        context! { text => "<a href='/x?a=1&b=2'>\"hi\"</a>", number => 7 },
    )
}

#[tokio::test]
async fn html_templates_escape_with_jinjas_entities() {
    let client = app().route(escaping).test_client();
    // What Jinja2 renders for the same template and values (MarkupSafe):
    // `'` as &#39;, `"` as &#34;, `/` left alone; |e alike; |safe and
    // autoescape false as is.
    let escaped = "&lt;a href=&#39;/x?a=1&amp;b=2&#39;&gt;&#34;hi&#34;&lt;/a&gt;";
    let raw = "<a href='/x?a=1&b=2'>\"hi\"</a>";
    assert_eq!(
        client.get("/escaping").await.text().trim_end(),
        format!("{escaped}|{escaped}|{raw}|7|{raw}")
    );
}
