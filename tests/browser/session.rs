//! The session login flow of examples/login.rs, as a user clicks through
//! it in Chromium: log in, see the private page, log out.

use crate::driver::Browser;
use crate::support::Server;

#[allow(dead_code)]
#[path = "../../examples/login.rs"]
mod login;

pub async fn session_login_private_page_and_logout(browser: Browser) {
    let server = Server::start(login::app()).await;

    // Not logged in: the private page sends the user to the login form.
    browser.goto(&server.url("/private")).await;
    let url = browser.client().current_url().await.unwrap();
    assert_eq!(url.path(), "/login");
    assert!(
        browser
            .text()
            .await
            .contains("Please log in to see that page"),
        "{}",
        browser.text().await
    );

    // Log in through the form; the redirect goes back to the private page.
    browser.fill("input[name=username]", "ann").await;
    browser.fill("input[name=password]", "secret").await;
    browser.click("button").await;
    let text = browser.text().await;
    assert!(text.contains("You were logged in"), "{text}");
    assert!(
        text.contains("Welcome to your private page, ann. Visit number 1."),
        "{text}"
    );
    // The session cookie is HttpOnly: scripts can't read it.
    assert_eq!(browser.document_cookie().await, "");

    // The session is kept: a second visit counts, the flash is gone.
    let text = browser.text_of(&server.url("/private")).await;
    assert!(text.contains("Visit number 2."), "{text}");
    assert!(!text.contains("You were logged in"), "{text}");

    // Log out: the session is cleared and the private page is closed again.
    browser.goto(&server.url("/logout")).await;
    let text = browser.text().await;
    assert!(text.contains("You were logged out"), "{text}");
    assert!(text.contains("You are not logged in"), "{text}");
    browser.goto(&server.url("/private")).await;
    let url = browser.client().current_url().await.unwrap();
    assert_eq!(url.path(), "/login");
    server.shut_down().await;
}
