//! `examples/login.rs`, driven through the test client: the example is
//! compiled into this test binary, so what it shows is what is tested.

use phial::prelude::*;

#[allow(dead_code)]
#[path = "../examples/login.rs"]
mod login;

#[tokio::test]
async fn private_page_sends_strangers_to_the_login_form() {
    let client = login::app().test_client();
    let response = client.get("/private").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.header("location"), Some("/login?next=/private"));
    let form = client.get("/login?next=/private").await.text();
    assert!(form.contains("class=\"error\">Please log in"), "{form}");
    assert!(form.contains("<form method=\"post\">"), "{form}");
}

#[tokio::test]
async fn wrong_password_flashes_an_error_and_logs_nobody_in() {
    let client = login::app().test_client();
    let response = client
        .post("/login")
        .form(&[("username", "ann"), ("password", "wrong")])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().contains("Invalid username or password"));
    assert!(client.get("/").await.text().contains("not logged in"));
    assert_eq!(client.get("/private").await.status(), StatusCode::FOUND);
}

#[tokio::test]
async fn login_private_page_and_logout() {
    let client = login::app().test_client();
    let response = client
        .post("/login?next=/private")
        .form(&[("username", "ann"), ("password", "secret")])
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.header("location"), Some("/private"));
    let cookie = response.set_cookie_headers()[0].to_owned();
    assert!(!cookie.contains("Max-Age"), "not remembered: {cookie}");
    let private = client.get("/private").await.text();
    assert!(private.contains("You were logged in"), "{private}");
    assert!(
        private.contains("private page, ann. Visit number 1."),
        "{private}"
    );
    let private = client.get("/private").await.text();
    assert!(
        !private.contains("You were logged in"),
        "flashed once: {private}"
    );
    assert!(private.contains("Visit number 2."), "{private}");

    let response = client.get("/logout").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let home = client.get("/").await.text();
    assert!(home.contains("You were logged out"), "{home}");
    assert!(home.contains("not logged in"), "{home}");
    assert_eq!(client.get("/private").await.status(), StatusCode::FOUND);
}

#[tokio::test]
async fn remember_me_makes_the_session_permanent() {
    let client = login::app().test_client();
    let response = client
        .post("/login")
        .form(&[
            ("username", "bob"),
            ("password", "hunter22"),
            ("remember", "on"),
        ])
        .await;
    let cookie = response.set_cookie_headers()[0].to_owned();
    assert!(cookie.contains("Max-Age=2678400"), "{cookie}");
    // Thirty days later the browser still has it.
    client.advance_clock(std::time::Duration::from_secs(30 * 24 * 3600));
    assert!(client.get("/").await.text().contains("Logged in as bob"));
}

#[tokio::test]
async fn login_refuses_open_redirects_and_accepts_a_seeded_session() {
    let client = login::app().test_client();
    for next in [
        "//evil.example",
        "/%5Cevil.example",
        "/%09/evil.example",
        "https://evil.example",
        "javascript:alert(1)",
    ] {
        let response = client
            .post(&format!("/login?next={next}"))
            .form(&[("username", "ann"), ("password", "secret")])
            .await;
        assert_eq!(response.header("location"), Some("/"), "{next}");
    }
    let seeded = login::app().test_client();
    seeded.session_transaction(|session| session.insert("username", "carol"));
    assert!(seeded.get("/private").await.text().contains("carol"));
}
