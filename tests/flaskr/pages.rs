//! What a person clicking through flaskr sees that Flask's suite doesn't
//! check: the error pages' words, a form missing a field, the session
//! cookie's attributes (each compared with Flask 3.1's flaskr by hand).

use phial::StatusCode;

use super::conftest::{flaskr_tests, Run};

async fn a_missing_post_says_so_as_flask_does(run: Run) {
    let Some(t) = run.app().await else { return };
    t.auth().login().await;
    let response = t.client.get("/2/update").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response
            .text()
            .contains("<h1>Not Found</h1>\n<p>Post id 2 doesn&#39;t exist.</p>"),
        "{}",
        response.text()
    );
    let response = t.client.get("/nowhere").await;
    assert!(response
        .text()
        .contains("The requested URL was not found on the server."));
}

async fn a_form_without_a_field_is_a_bad_request(run: Run) {
    let Some(t) = run.app().await else { return };
    let response = t
        .client
        .post("/auth/register")
        .form(&[("username", "x")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

async fn the_session_cookie_has_flasks_attributes(run: Run) {
    let Some(t) = run.app().await else { return };
    let login = t.auth().login().await;
    let cookie = login.set_cookie_headers()[0].to_owned();
    assert!(cookie.starts_with("session="), "{cookie}");
    assert!(cookie.ends_with("; HttpOnly; Path=/"), "{cookie}");
    let logout = t.auth().logout().await;
    assert_eq!(
        logout.set_cookie_headers(),
        ["session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"]
    );
}

async fn user_text_is_escaped(run: Run) {
    let Some(t) = run.app().await else { return };
    t.auth().login().await;
    t.client
        .post("/create")
        .form(&[("title", "<script>x</script>"), ("body", "a & b")])
        .await;
    let page = t.client.get("/").await.text();
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains("&lt;script&gt;x&lt;"), "{page}");
    assert!(page.contains("a &amp; b"), "{page}");
}

flaskr_tests!(
    a_missing_post_says_so_as_flask_does,
    a_form_without_a_field_is_a_bad_request,
    the_session_cookie_has_flasks_attributes,
    user_text_is_escaped,
);
