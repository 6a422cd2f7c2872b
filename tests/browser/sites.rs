//! Two sites on one machine: the app on `127.0.0.1`, a page of another site
//! on `localhost` (a different host, so a different site for `SameSite`).
//! What Chromium sends across them, and what it does with `Secure` cookies
//! over plain `http://` on each host.

use phial::prelude::*;

use crate::attributes::listing;
use crate::driver::Browser;
use crate::support::Server;

#[route("/show", methods = ["GET", "POST"])]
fn show(request: &Request) -> String {
    listing(request)
}

#[route("/set-same-site")]
fn set_same_site() -> Response {
    let mut response = make_response("set");
    response
        .set_cookie("strict", "1")
        .same_site(SameSite::Strict);
    response.set_cookie("lax", "1").same_site(SameSite::Lax);
    // None must come with Secure, which Chromium accepts over
    // http://127.0.0.1 (see the Secure tests below).
    response
        .set_cookie("none", "1")
        .same_site(SameSite::None)
        .secure(true);
    response.set_cookie("unset", "1");
    response
}

#[route("/set-secure")]
fn set_secure() -> Response {
    let mut response = make_response("set");
    response.set_cookie("secure", "1").secure(true);
    response.set_cookie("plain", "1");
    response
}

fn app() -> App {
    App::new()
        .route(show)
        .route(set_same_site)
        .route(set_secure)
        // These tests post to /show from another site on purpose, to see
        // which cookies go along: cross-origin protection would refuse it
        // (csrf.rs tests that).
        .csrf_exempt(show)
}

/// A page linking and posting to `?target=`: served as the other site.
#[route("/page")]
fn page(request: &Request) -> String {
    let target = phial::escape(request.args.get("target", ""));
    format!(
        "<a id=link href=\"{target}\">link</a>\
         <form method=post action=\"{target}\"><button id=post>post</button></form>"
    )
}

/// A page showing `?target=` in an iframe: a cross-site subresource.
#[route("/frame")]
fn frame(request: &Request) -> String {
    let target = phial::escape(request.args.get("target", ""));
    format!("<iframe src=\"{target}\"></iframe>")
}

/// Loads the page at `page_url`, follows its link, then submits its form,
/// and returns what the app's `/show` saw each time.
async fn link_and_post(browser: &Browser, page_url: &str) -> (String, String) {
    browser.goto(page_url).await;
    browser.click("#link").await;
    let linked = browser.text().await;
    browser.goto(page_url).await;
    browser.click("#post").await;
    let posted = browser.text().await;
    (linked, posted)
}

/// The app, the other site, and the page URL on the other site pointing at
/// the app's `/show` (the page is served on `host`).
async fn two_sites(host: &str) -> (Server, Server, String) {
    let app = Server::start(app()).await;
    let other = Server::start(App::new().route(page).route(frame)).await;
    let page_url = format!(
        "http://{host}:{}/page?target={}",
        other.addr.port(),
        app.url("/show")
    );
    (app, other, page_url)
}

pub async fn strict_cookie_is_not_sent_from_another_site(browser: Browser) {
    let (app, other, page_url) = two_sites("localhost").await;
    browser.goto(&app.url("/set-same-site")).await;
    let (linked, posted) = link_and_post(&browser, &page_url).await;
    // (`lax` and `none` show the app's /show was reached.)
    assert_eq!(linked, "lax=1; none=1; unset=1", "cross-site link");
    assert_eq!(posted, "none=1; unset=1", "cross-site POST");
    // Still sent when the app's own pages are loaded directly.
    assert!(browser
        .text_of(&app.url("/show"))
        .await
        .contains("strict=1"));
    app.shut_down().await;
    other.shut_down().await;
}

pub async fn lax_cookie_is_sent_on_cross_site_link_but_not_on_cross_site_post(browser: Browser) {
    let (app, other, page_url) = two_sites("localhost").await;
    browser.goto(&app.url("/set-same-site")).await;
    let (linked, posted) = link_and_post(&browser, &page_url).await;
    assert_eq!(
        linked, "lax=1; none=1; unset=1",
        "cross-site top-level GET link"
    );
    // `unset` (no SameSite) still goes with a cross-site POST: Chromium
    // gives cookies without SameSite under 2 minutes old a grace period
    // ("Lax+POST"); after it they are Lax (the slow test below).
    assert_eq!(posted, "none=1; unset=1", "cross-site form POST");
    app.shut_down().await;
    other.shut_down().await;
}

/// Chromium's grace ("Lax+POST") ends when a cookie without SameSite is 2
/// minutes old: from then on it is Lax, and the cross-site POST goes without
/// it. Slow: runs with `-- --include-ignored`.
pub async fn cookie_without_same_site_is_lax_after_2_minutes(browser: Browser) {
    let (app, other, page_url) = two_sites("localhost").await;
    browser.goto(&app.url("/set-same-site")).await;
    tokio::time::sleep(std::time::Duration::from_secs(125)).await;
    let (linked, posted) = link_and_post(&browser, &page_url).await;
    assert_eq!(
        linked, "lax=1; none=1; unset=1",
        "cross-site top-level GET link"
    );
    assert_eq!(posted, "none=1", "cross-site form POST after 2 minutes");
    app.shut_down().await;
    other.shut_down().await;
}

pub async fn cross_site_frame_gets_no_cookies_at_all(browser: Browser) {
    let (app, other, page_url) = two_sites("localhost").await;
    browser.goto(&app.url("/set-same-site")).await;
    browser
        .goto(&page_url.replacen("/page?", "/frame?", 1))
        .await;
    browser.client().clone().enter_frame(0).await.unwrap();
    let framed = browser.text().await;
    // Not even `none` (SameSite=None; Secure): headless Chromium blocks
    // third-party cookies, so a frame can't tell Lax from None.
    assert_eq!(framed, "(none)", "cross-site iframe");
    app.shut_down().await;
    other.shut_down().await;
}

pub async fn same_site_page_gets_every_cookie(browser: Browser) {
    // The same page served from 127.0.0.1 (another port, the same site).
    let (app, other, page_url) = two_sites("127.0.0.1").await;
    browser.goto(&app.url("/set-same-site")).await;
    let (linked, posted) = link_and_post(&browser, &page_url).await;
    assert_eq!(linked, "strict=1; lax=1; none=1; unset=1");
    assert_eq!(posted, "strict=1; lax=1; none=1; unset=1");
    app.shut_down().await;
    other.shut_down().await;
}

/// Sets `secure` (with `Secure`) and `plain` over `http://{host}`, then
/// returns what `/show` saw and what scripts see.
async fn secure_over_http(browser: &Browser, host: &str) -> (String, String) {
    let app = Server::start(app()).await;
    let base = format!("http://{host}:{}", app.addr.port());
    browser.goto(&format!("{base}/set-secure")).await;
    let seen = browser.text_of(&format!("{base}/show")).await;
    let scripts = browser.document_cookie().await;
    app.shut_down().await;
    (seen, scripts)
}

pub async fn secure_cookie_from_http_localhost_is_kept(browser: Browser) {
    let (seen, scripts) = secure_over_http(&browser, "localhost").await;
    assert_eq!(seen, "secure=1; plain=1");
    assert_eq!(scripts, "secure=1; plain=1");
}

pub async fn secure_cookie_from_http_127_0_0_1_is_kept(browser: Browser) {
    let (seen, scripts) = secure_over_http(&browser, "127.0.0.1").await;
    assert_eq!(seen, "secure=1; plain=1");
    assert_eq!(scripts, "secure=1; plain=1");
}
