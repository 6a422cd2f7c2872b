//! Behind a proxy (`App::behind_proxy`, Werkzeug's `ProxyFix`): what the
//! trusted hops say about the client, and what a client can't make up.

use phial::prelude::*;
use phial::{Config, ProxyFix};

use crate::support::{Conn, Logs, Server};

#[get("/locate")]
fn locate(request: &Request) -> String {
    format!(
        "{} {} {} {} {}",
        request.remote_addr().ip(),
        request.scheme(),
        request.host(),
        request.is_secure(),
        url_for!(locate),
    )
}

#[get("/absolute")]
fn absolute() -> String {
    format!(
        "{} {}",
        url_for!(locate, _external = true),
        url_for!(locate, _external = false, q = 1)
    )
}

#[get("/links")]
fn links() -> Response {
    render_template("proxy_links.html", context! {})
}

#[post("/submit")]
fn submit() -> &'static str {
    "saved"
}

fn app() -> App {
    App::new()
        .template_folder(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/templates"
        ))
        .routes(routes![locate, links, submit, absolute])
}

#[tokio::test]
async fn without_behind_proxy_the_headers_are_ignored() {
    let client = app().test_client();
    let text = client
        .get("/locate")
        .header("host", "internal:8000")
        .header("x-forwarded-for", "203.0.113.7")
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "example.com")
        .await
        .text();
    assert_eq!(text, "127.0.0.1 http internal:8000 false /locate");
}

#[tokio::test]
async fn werkzeugs_defaults_take_the_last_hops_address_and_scheme() {
    let client = app().behind_proxy(ProxyFix::default()).test_client();
    let text = client
        .get("/locate")
        .header("host", "internal:8000")
        .header("x-forwarded-for", "203.0.113.7")
        .header("x-forwarded-proto", "https")
        // x_host is 0 by default: not trusted.
        .header("x-forwarded-host", "evil.example")
        .await
        .text();
    assert_eq!(text, "203.0.113.7 https internal:8000 true /locate");
}

#[tokio::test]
async fn a_client_cannot_spoof_its_address_past_a_trusted_proxy() {
    let client = app().behind_proxy(ProxyFix::default()).test_client();
    // The client sent `X-Forwarded-For: 6.6.6.6, https`; the one proxy
    // appended what it saw.
    let text = client
        .get("/locate")
        .header("x-forwarded-for", "6.6.6.6, 198.51.100.9")
        .header("x-forwarded-proto", "https, http")
        .await
        .text();
    assert!(text.starts_with("198.51.100.9 http "), "{text}");
    // Two hops trusted, one value: the header is ignored, not half-read.
    let two_hops = App::new()
        .route(locate)
        .behind_proxy(ProxyFix {
            x_for: 2,
            ..ProxyFix::default()
        })
        .test_client();
    let text = two_hops
        .get("/locate")
        .header("x-forwarded-for", "6.6.6.6")
        .await
        .text();
    assert!(text.starts_with("127.0.0.1 "), "{text}");
    // A value that is no address is ignored too.
    let text = client
        .get("/locate")
        .header("x-forwarded-for", "<script>")
        .await
        .text();
    assert!(text.starts_with("127.0.0.1 "), "{text}");
}

#[tokio::test]
async fn host_port_and_prefix_reach_url_for() {
    let fix = ProxyFix {
        x_host: 1,
        x_port: 1,
        x_prefix: 1,
        ..ProxyFix::default()
    };
    let client = app().behind_proxy(fix).test_client();
    let request = |path| {
        client
            .get(path)
            .header("host", "127.0.0.1:8000")
            .header("x-forwarded-for", "203.0.113.7")
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-host", "example.com")
            .header("x-forwarded-port", "8443")
            .header("x-forwarded-prefix", "/blog/")
    };
    assert_eq!(
        request("/locate").await.text(),
        "203.0.113.7 https example.com:8443 true /blog/locate"
    );
    assert_eq!(
        request("/absolute").await.text(),
        "https://example.com:8443/blog/locate /blog/locate?q=1"
    );
    assert_eq!(
        request("/links").await.text().trim(),
        "/blog/locate https://example.com:8443/blog/locate https example.com:8443 203.0.113.7"
    );
}

#[tokio::test]
async fn rfc_7239_forwarded_counts_elements_from_the_end() {
    let client = app().behind_proxy(ProxyFix::forwarded(1)).test_client();
    let text = client
        .get("/locate")
        .header("host", "internal")
        .header("forwarded", "for=6.6.6.6;proto=https;host=evil.example")
        .header(
            "forwarded",
            "for=\"[2001:db8::7]:4711\";proto=https;host=example.com",
        )
        // Not trusted when `Forwarded` is.
        .header("x-forwarded-for", "6.6.6.6")
        .await
        .text();
    assert_eq!(text, "2001:db8::7 https example.com true /locate");
}

#[test]
#[should_panic(expected = "ProxyFix::forwarded(hops)")]
fn trusting_both_header_families_is_refused_at_setup() {
    let _ = App::new().behind_proxy(ProxyFix {
        forwarded: 1,
        ..ProxyFix::default()
    });
}

#[tokio::test]
async fn the_behind_proxy_setting_turns_it_on_from_config() {
    let on = App::from_config(Config::new().set("BEHIND_PROXY", true)).unwrap();
    let client = on.route(locate).test_client();
    let text = client
        .get("/locate")
        .header("x-forwarded-for", "203.0.113.7")
        .await
        .text();
    assert!(text.starts_with("203.0.113.7 "), "{text}");

    let mut counts = std::collections::BTreeMap::new();
    counts.insert("X_HOST".to_owned(), phial::config::Value::Integer(1));
    let app =
        App::from_config(Config::new().set("BEHIND_PROXY", phial::config::Value::Table(counts)))
            .unwrap();
    let shown = app
        .config()
        .value("BEHIND_PROXY")
        .unwrap()
        .as_table()
        .unwrap();
    assert_eq!(shown["x_host"].as_integer(), Some(1));
    assert_eq!(shown["x_for"].as_integer(), Some(1));
    assert_eq!(
        App::new().config().value("BEHIND_PROXY").unwrap().as_bool(),
        Some(false)
    );

    let error = App::from_config(Config::new().set("BEHIND_PROXY", "maybe")).unwrap_err();
    assert!(error.to_string().contains("BEHIND_PROXY"), "{error}");
}

#[tokio::test]
async fn the_cross_origin_check_compares_the_forwarded_host() {
    fn post(client: &phial::TestClient) -> phial::TestRequest<'_> {
        client
            .post("/submit")
            .header("host", "127.0.0.1:8000")
            .header("origin", "https://example.com")
            .header("x-forwarded-host", "example.com")
    }
    let direct = app().test_client();
    assert_eq!(post(&direct).await.status(), StatusCode::FORBIDDEN);
    let proxied = app()
        .behind_proxy(ProxyFix {
            x_host: 1,
            ..ProxyFix::default()
        })
        .test_client();
    assert_eq!(post(&proxied).await.text(), "saved");
}

#[tokio::test]
async fn the_access_log_shows_the_client_and_the_url_it_asked_for() {
    let (logs, _guard) = Logs::capture();
    let server = Server::start(app().behind_proxy(ProxyFix::default())).await;
    let mut conn = Conn::open(server.addr).await;
    conn.send(
        "GET /locate?q=1 HTTP/1.1\r\nHost: example.com\r\n\
         X-Forwarded-For: 6.6.6.6, 203.0.113.7\r\nX-Forwarded-Proto: https\r\n\r\n",
    )
    .await;
    assert_eq!(conn.response(false).await.status, 200);
    let line = logs
        .wait_for("\"GET https://example.com/locate?q=1 HTTP/1.1\" 200")
        .await;
    assert!(line.contains("phial::access: 203.0.113.7 \"GET"), "{line}");
    assert!(!line.contains("6.6.6.6"), "{line}");
    server.shut_down().await;
}

/// flaskr behind nginx with no code change: it loads `PHIAL_*` variables
/// into its config, as every app that calls `from_prefixed_env` does. Run
/// in a child process of this test binary, with the variables set there
/// (setting them here would race other threads reading the environment).
#[test]
fn phial_behind_proxy_in_the_environment_turns_it_on() {
    const CHILD: &str = "PHIAL_PROXY_TEST_CHILD";
    if std::env::var_os(CHILD).is_none() {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "proxy::phial_behind_proxy_in_the_environment_turns_it_on",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .env("PHIAL_BEHIND_PROXY__X_HOST", "1")
            .status()
            .unwrap();
        assert!(status.success(), "the child process failed");
        return;
    }
    let config = Config::new().from_prefixed_env("PHIAL");
    let app = App::new().with_config(config).unwrap().route(locate);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let text = runtime.block_on(async {
        app.test_client()
            .get("/locate")
            .header("host", "internal")
            .header("x-forwarded-for", "203.0.113.7")
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-host", "example.com")
            .await
            .text()
    });
    assert_eq!(text, "203.0.113.7 https example.com true /locate");
}

#[get("/login")]
fn login(request: &Request) -> &'static str {
    request.session.insert("user", "ann");
    "in"
}

fn secure_sessions() -> App {
    App::new()
        .secret_key([7; 32])
        .session_cookie_secure(true)
        .route(login)
}

#[tokio::test]
async fn a_secure_cookie_over_plain_http_is_warned_of_once() {
    let (logs, _guard) = Logs::capture();
    let client = secure_sessions().test_client();
    for _ in 0..2 {
        let response = client.get("/login").header("host", "example.com").await;
        assert!(response.header("set-cookie").unwrap().contains("Secure"));
    }
    let warnings =
        logs.lines_with("a Secure cookie was set on a request that came over plain http");
    assert_eq!(warnings.len(), 1, "{}", logs.text());
    assert!(warnings[0].contains("App::behind_proxy"), "{}", warnings[0]);
}

#[tokio::test]
async fn a_secure_cookie_behind_a_tls_proxy_or_on_localhost_is_fine() {
    let (logs, _guard) = Logs::capture();
    let proxied = secure_sessions()
        .behind_proxy(ProxyFix::default())
        .test_client();
    proxied
        .get("/login")
        .header("host", "example.com")
        .header("x-forwarded-proto", "https")
        .await;
    let local = secure_sessions().test_client();
    local.get("/login").header("host", "127.0.0.1:5000").await;
    local.get("/login").await;
    assert_eq!(logs.lines_with("Secure cookie").len(), 0, "{}", logs.text());
}

#[tokio::test]
async fn a_test_client_on_https_reports_https() {
    let client = App::new()
        .route(locate)
        .test_client()
        .with_base_url("https://example.com");
    let text = client.get("/locate").await.text();
    assert_eq!(text, "127.0.0.1 https example.com true /locate");
}
