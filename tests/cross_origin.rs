//! Cross-site request forgery: unsafe requests that a browser says came
//! from another site are refused with 403 (Go's CrossOriginProtection).

use phial::prelude::*;
use phial::Blueprint;

use crate::support::Logs;

#[post("/transfer")]
fn transfer() -> &'static str {
    "sent"
}

#[get("/transfer")]
fn form() -> &'static str {
    "the form"
}

#[post("/api/hook")]
fn api_hook() -> &'static str {
    "hooked"
}

#[post("/payments")]
fn payments() -> &'static str {
    "paid"
}

fn app() -> App {
    App::new().route(transfer).route(form).route(api_hook)
}

/// POST /transfer to host `localhost` with these headers.
async fn post(app: App, headers: &[(&str, &str)]) -> phial::TestResponse {
    let client = app.test_client();
    let mut request = client.post("/transfer").header("Host", "localhost");
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request.await
}

#[tokio::test]
async fn browsers_same_origin_requests_and_non_browsers_pass() {
    for headers in [
        &[][..],
        &[("Sec-Fetch-Site", "same-origin")],
        &[("Sec-Fetch-Site", "none")],
        &[("Origin", "http://localhost")],
        &[
            ("Sec-Fetch-Site", "same-origin"),
            ("Origin", "http://localhost"),
        ],
    ] {
        let response = post(app(), headers).await;
        assert_eq!(response.text(), "sent", "{headers:?}");
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused_with_403_saying_why() {
    let (logs, _capturing) = Logs::capture();
    for headers in [
        &[
            ("Sec-Fetch-Site", "cross-site"),
            ("Origin", "https://evil.example"),
        ][..],
        &[
            ("Sec-Fetch-Site", "same-site"),
            ("Origin", "http://sub.localhost"),
        ],
        // An old browser: no Sec-Fetch-Site, another Origin.
        &[("Origin", "https://evil.example")],
        &[("Origin", "null")],
        // Sec-Fetch-Site wins over a matching Origin.
        &[
            ("Sec-Fetch-Site", "cross-site"),
            ("Origin", "http://localhost"),
        ],
    ] {
        let response = post(app(), headers).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
        assert!(
            response.text().contains("Cross-origin request refused"),
            "{}",
            response.text()
        );
    }
    let line = logs.wait_for("refused POST /transfer").await;
    assert!(line.contains("WARN"), "{line}");
}

#[tokio::test]
async fn safe_methods_are_never_refused() {
    let client = app().test_client();
    let response = client
        .get("/transfer")
        .header("Sec-Fetch-Site", "cross-site")
        .header("Origin", "https://evil.example")
        .await;
    assert_eq!(response.text(), "the form");
}

#[tokio::test]
async fn trusted_origins_same_site_and_exempt_routes_pass() {
    let cross = [
        ("Sec-Fetch-Site", "cross-site"),
        ("Origin", "https://App.Example.com"),
    ];
    let trusted = app().trust_origin("https://app.example.com");
    assert_eq!(post(trusted, &cross).await.text(), "sent");
    let old_browser = [("Origin", "https://app.example.com")];
    let trusted = app().trust_origin("https://app.example.com");
    assert_eq!(post(trusted, &old_browser).await.text(), "sent");

    let same_site = [
        ("Sec-Fetch-Site", "same-site"),
        ("Origin", "http://a.localhost"),
    ];
    assert_eq!(
        post(app().allow_same_site_requests(true), &same_site)
            .await
            .text(),
        "sent"
    );
    // Still no cross-site.
    let refused = post(app().allow_same_site_requests(true), &cross).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // An exempt handler, and an exempt blueprint's routes; the others stay
    // protected.
    let client = app()
        .csrf_exempt(api_hook)
        .register_blueprint(
            Blueprint::new("pay")
                .url_prefix("/v1")
                .route(payments)
                .csrf_exempt(),
        )
        .test_client();
    let send = |path: &'static str| {
        client
            .post(path)
            .header("Sec-Fetch-Site", "cross-site")
            .header("Origin", "https://partner.example")
    };
    assert_eq!(send("/api/hook").await.text(), "hooked");
    assert_eq!(send("/v1/payments").await.text(), "paid");
    assert_eq!(send("/transfer").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn protection_can_be_turned_off() {
    let headers = [("Sec-Fetch-Site", "cross-site")];
    let response = post(app().cross_origin_protection(false), &headers).await;
    assert_eq!(response.text(), "sent");
}

#[test]
#[should_panic(expected = "an origin is `scheme://host[:port]`")]
fn a_trusted_origin_with_a_path_is_refused_at_setup() {
    let _ = App::new().trust_origin("https://app.example.com/login");
}

#[get("/form")]
fn token_form(request: &Request) -> String {
    phial::csrf_token(request)
}

#[get("/form.html")]
fn token_template() -> Response {
    render_template("csrf.html", context! {})
}

fn token_app() -> App {
    App::new()
        .secret_key([7; 32])
        .template_folder(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/templates"
        ))
        .csrf_tokens(true)
        .route(transfer)
        .route(token_form)
        .route(token_template)
        .route(api_hook)
        .csrf_exempt(api_hook)
}

#[tokio::test]
async fn token_mode_wants_the_sessions_token_in_the_form_or_a_header() {
    let client = token_app().test_client();
    // No token yet, none sent: Flask-WTF's 400.
    let missing = client.post("/transfer").form(&[("amount", "10")]).await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    assert!(
        missing.text().contains("The CSRF token is missing."),
        "{}",
        missing.text()
    );

    let token = client.get("/form").await.text();
    assert!(token.len() >= 43, "256 bits, base64: {token}");
    assert_eq!(client.get("/form").await.text(), token, "one per session");
    let html = client.get("/form.html").await.text();
    assert!(html.contains(&format!("value=\"{token}\"")), "{html}");

    let sent = client
        .post("/transfer")
        .form(&[("amount", "10"), ("csrf_token", &token)])
        .await;
    assert_eq!(sent.text(), "sent");
    let by_header = client.post("/transfer").header("X-CSRFToken", &token).await;
    assert_eq!(by_header.text(), "sent");

    let wrong = client
        .post("/transfer")
        .form(&[("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")])
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert!(wrong.text().contains("The CSRF tokens do not match."));

    // Another session (a fresh client) can't use this one's token.
    let other = token_app().test_client();
    let stolen = other
        .post("/transfer")
        .form(&[("csrf_token", &token)])
        .await;
    assert_eq!(stolen.status(), StatusCode::BAD_REQUEST);
    assert!(stolen.text().contains("The CSRF session token is missing."));

    // Exempt handlers need none.
    assert_eq!(other.post("/api/hook").await.text(), "hooked");
}
