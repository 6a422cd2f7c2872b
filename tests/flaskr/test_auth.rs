//! flaskr's `tests/test_auth.py`.

use std::sync::{Arc, Mutex};

use phial::StatusCode;

use super::app::auth::User;
use super::conftest::{flaskr_tests, AuthActions, Run};

async fn test_register(run: Run) {
    let Some(t) = run.app().await else { return };
    // test that viewing the page renders without template errors
    assert_eq!(
        t.client.get("/auth/register").await.status(),
        StatusCode::OK
    );

    // test that successful registration redirects to the login page
    let response = t
        .client
        .post("/auth/register")
        .form(&[("username", "a"), ("password", "a")])
        .await;
    assert_eq!(response.header("Location"), Some("/auth/login"));

    // test that the user was inserted into the database
    let user = sqlx::query(r#"SELECT * FROM "user" WHERE username = 'a'"#)
        .fetch_optional(&t.db.0)
        .await
        .unwrap();
    assert!(user.is_some());
}

async fn test_register_validate_input(run: Run) {
    for (username, password, message) in [
        ("", "", "Username is required."),
        ("a", "", "Password is required."),
        ("test", "test", "already registered"),
    ] {
        let Some(t) = run.app().await else { return };
        let response = t
            .client
            .post("/auth/register")
            .form(&[("username", username), ("password", password)])
            .await;
        assert!(
            response.text().contains(message),
            "({username:?}, {password:?}): no {message:?} in {}",
            response.text()
        );
    }
}

async fn test_login(run: Run) {
    let Some(t) = run.app().await else { return };
    // The app, with a hook that keeps what the request's `g.user` was.
    let g_user: Arc<Mutex<Option<User>>> = Arc::default();
    let seen = g_user.clone();
    let client = t
        .app
        .clone()
        .after_request(move |request, _response| {
            *seen.lock().unwrap() = request.g.get::<Option<User>>("user").flatten();
        })
        .test_client();
    let auth = AuthActions::new(&client);

    // test that viewing the page renders without template errors
    assert_eq!(client.get("/auth/login").await.status(), StatusCode::OK);

    // test that successful login redirects to the index page
    let response = auth.login().await;
    assert_eq!(response.header("Location"), Some("/"));

    // login request set the user_id in the session
    // check that the user is loaded from the session
    client.get("/").await;
    let user_id = client.session_transaction(|session| session.get_as::<i64>("user_id"));
    assert_eq!(user_id, Some(1));
    let user = g_user.lock().unwrap().clone().expect("g.user");
    assert_eq!(user.username, "test");
}

async fn test_login_validate_input(run: Run) {
    for (username, password, message) in [
        ("a", "test", "Incorrect username."),
        ("test", "a", "Incorrect password."),
    ] {
        let Some(t) = run.app().await else { return };
        let response = t.auth().login_as(username, password).await;
        assert!(
            response.text().contains(message),
            "({username:?}, {password:?}): no {message:?} in {}",
            response.text()
        );
    }
}

async fn test_logout(run: Run) {
    let Some(t) = run.app().await else { return };
    t.auth().login().await;

    t.auth().logout().await;
    assert!(!t
        .client
        .session_transaction(|session| session.contains("user_id")));
}

flaskr_tests!(
    test_register,
    test_register_validate_input,
    test_login,
    test_login_validate_input,
    test_logout,
);
