//! flaskr's `tests/test_blog.py`.

use phial::StatusCode;
use sqlx::Row;

use super::conftest::{flaskr_tests, Run};

async fn test_index(run: Run) {
    let Some(t) = run.app().await else { return };
    let response = t.client.get("/").await.text();
    assert!(response.contains("Log In"));
    assert!(response.contains("Register"));

    t.auth().login().await;
    let response = t.client.get("/").await.text();
    assert!(response.contains("test title"), "{response}");
    assert!(response.contains("by test on 2018-01-01"), "{response}");
    assert!(response.contains("test\nbody"), "{response}");
    assert!(response.contains(r#"href="/1/update""#), "{response}");
}

async fn test_login_required(run: Run) {
    for path in ["/create", "/1/update", "/1/delete"] {
        let Some(t) = run.app().await else { return };
        let response = t.client.post(path).await;
        assert_eq!(response.header("Location"), Some("/auth/login"), "{path}");
    }
}

async fn test_author_required(run: Run) {
    let Some(t) = run.app().await else { return };
    // change the post author to another user
    sqlx::query("UPDATE post SET author_id = 2 WHERE id = 1")
        .execute(&t.db.0)
        .await
        .unwrap();

    t.auth().login().await;
    // current user can't modify other user's post
    assert_eq!(
        t.client.post("/1/update").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.client.post("/1/delete").await.status(),
        StatusCode::FORBIDDEN
    );
    // current user doesn't see edit link
    assert!(!t
        .client
        .get("/")
        .await
        .text()
        .contains(r#"href="/1/update""#));
}

async fn test_exists_required(run: Run) {
    for path in ["/2/update", "/2/delete"] {
        let Some(t) = run.app().await else { return };
        t.auth().login().await;
        assert_eq!(
            t.client.post(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

async fn test_create(run: Run) {
    let Some(t) = run.app().await else { return };
    t.auth().login().await;
    assert_eq!(t.client.get("/create").await.status(), StatusCode::OK);
    t.client
        .post("/create")
        .form(&[("title", "created"), ("body", "")])
        .await;

    let count: i64 = sqlx::query_scalar("SELECT COUNT(id) FROM post")
        .fetch_one(&t.db.0)
        .await
        .unwrap();
    assert_eq!(count, 2);
}

async fn test_update(run: Run) {
    let Some(t) = run.app().await else { return };
    t.auth().login().await;
    assert_eq!(t.client.get("/1/update").await.status(), StatusCode::OK);
    t.client
        .post("/1/update")
        .form(&[("title", "updated"), ("body", "")])
        .await;

    // Flask selects `*`; sqlx's `Any` driver reads no timestamp, so the
    // columns are named (the same goes for the app's queries).
    let post = sqlx::query("SELECT id, title, body FROM post WHERE id = 1")
        .fetch_one(&t.db.0)
        .await
        .unwrap();
    assert_eq!(post.get::<String, _>("title"), "updated");
}

async fn test_create_update_validate(run: Run) {
    for path in ["/create", "/1/update"] {
        let Some(t) = run.app().await else { return };
        t.auth().login().await;
        let response = t
            .client
            .post(path)
            .form(&[("title", ""), ("body", "")])
            .await;
        assert!(response.text().contains("Title is required."), "{path}");
    }
}

async fn test_delete(run: Run) {
    let Some(t) = run.app().await else { return };
    t.auth().login().await;
    let response = t.client.post("/1/delete").await;
    assert_eq!(response.header("Location"), Some("/"));

    let post = sqlx::query("SELECT * FROM post WHERE id = 1")
        .fetch_optional(&t.db.0)
        .await
        .unwrap();
    assert!(post.is_none());
}

flaskr_tests!(
    test_index,
    test_login_required,
    test_author_required,
    test_exists_required,
    test_create,
    test_update,
    test_create_update_validate,
    test_delete,
);
