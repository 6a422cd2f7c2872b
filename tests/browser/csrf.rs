//! Cross-site request forgery in a real browser: a page of another origin
//! (a second port on 127.0.0.1) that submits a form to a logged-in flaskr
//! by itself is refused; flaskr's own forms work.

use std::time::{Duration, Instant};

use phial::prelude::*;
use phial::Config;

use crate::driver::Browser;
use crate::support::Server;

#[allow(dead_code, unused_imports)]
#[path = "../../examples/flaskr/main.rs"]
mod flaskr;

/// The attacker's page: a form to `target` that submits itself on load.
#[get("/win-a-prize")]
fn forged_page(request: &Request) -> String {
    let target = phial::escape(request.args.get("target", ""));
    format!(
        "<form id=forged method=post action=\"{target}\">\
         <input name=title value=forged><input name=body value=pwned></form>\
         <script>document.getElementById('forged').submit()</script>"
    )
}

/// flaskr on a fresh SQLite file, protected as it ships or not.
async fn flaskr_server(protected: bool) -> (Server, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!(
        "phial-browser-csrf-{}-{protected}.sqlite",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    let database = format!("sqlite://{}", path.display());
    let db = flaskr::db::Db::connect_lazy(&database).unwrap();
    db.init_db().await.unwrap();
    let config = Config::new().set("DATABASE", database);
    let app = flaskr::create_app(Some(config))
        .unwrap()
        .cross_origin_protection(protected);
    (Server::start(app).await, path)
}

/// Registers and logs in `alice` through flaskr's own forms.
async fn log_in(browser: &Browser, flaskr: &Server) {
    browser.goto(&flaskr.url("/auth/register")).await;
    browser.fill("#username", "alice").await;
    browser.fill("#password", "wonderland").await;
    browser.click("input[type=submit]").await;
    browser.fill("#username", "alice").await;
    browser.fill("#password", "wonderland").await;
    browser.click("input[type=submit]").await;
    assert!(
        browser.text().await.contains("Log Out"),
        "{}",
        browser.text().await
    );
}

/// The page's text once it shows `needle` (a form that submits itself
/// navigates after the page has loaded).
async fn wait_for_text(browser: &Browser, needle: &str) -> String {
    let started = Instant::now();
    loop {
        let text = browser.text().await;
        if text.contains(needle) || started.elapsed() > Duration::from_secs(10) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn forged_post_from_another_origin_is_refused_and_own_forms_work(browser: Browser) {
    let (flaskr, database) = flaskr_server(true).await;
    let attacker = Server::start(App::new().route(forged_page)).await;
    log_in(&browser, &flaskr).await;

    // flaskr's own form: a same-origin POST.
    browser.goto(&flaskr.url("/create")).await;
    browser.fill("#title", "My first post").await;
    browser.fill("#body", "written by alice").await;
    browser.click("input[type=submit]").await;
    assert!(browser.text().await.contains("My first post"));

    // The attacker's page, on another port, posts as alice.
    let forged = format!(
        "{}?target={}",
        attacker.url("/win-a-prize"),
        flaskr.url("/create")
    );
    browser.goto(&forged).await;
    let refused = wait_for_text(&browser, "Forbidden").await;
    assert!(
        refused.contains("Cross-origin request refused"),
        "{refused}"
    );
    let index = browser.text_of(&flaskr.url("/")).await;
    assert!(!index.contains("forged"), "{index}");
    assert!(
        index.contains("My first post") && index.contains("Log Out"),
        "{index}"
    );

    flaskr.shut_down().await;
    attacker.shut_down().await;
    let _ = std::fs::remove_file(database);
}

/// The control: the same attack on flaskr with protection off succeeds
/// (Chromium sends the session cookie, which has no SameSite, as Flask's),
/// so the test above can fail.
pub async fn without_protection_the_forged_post_goes_through(browser: Browser) {
    let (flaskr, database) = flaskr_server(false).await;
    let attacker = Server::start(App::new().route(forged_page)).await;
    log_in(&browser, &flaskr).await;
    let forged = format!(
        "{}?target={}",
        attacker.url("/win-a-prize"),
        flaskr.url("/create")
    );
    browser.goto(&forged).await;
    let landed = wait_for_text(&browser, "forged").await;
    assert!(landed.contains("forged"), "{landed}");
    flaskr.shut_down().await;
    attacker.shut_down().await;
    let _ = std::fs::remove_file(database);
}
