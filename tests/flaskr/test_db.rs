//! flaskr's `tests/test_db.py`.
//!
//! Flask opens a connection per app context (`get_db`) and closes it when
//! the context ends; flaskr in phial holds one pool for the app, used by
//! every request and closed by the app's shutdown hooks.

use phial::StatusCode;

use super::app::db;
use super::conftest::{flaskr_tests, Run, DATA_SQL};
use crate::server::process::example_binary;
use crate::support::Logs;

async fn test_get_close_db(run: Run) {
    let Some(t) = run.app().await else { return };
    // Within the app, every request gets the database from the same pool.
    assert_eq!(t.client.get("/").await.status(), StatusCode::OK);
    assert_eq!(t.client.get("/").await.status(), StatusCode::OK);

    // Closed with the app: a query fails, saying so.
    t.app.run_shutdown_hooks().await;
    let (logs, _capturing) = Logs::capture();
    let response = t.client.get("/").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(logs.text().contains("closed"), "{}", logs.text());
    // Writing fails alike (registering: not a taken name, a closed pool).
    let response = t
        .client
        .post("/auth/register")
        .form(&[("username", "b"), ("password", "b")])
        .await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

async fn test_init_db_command(run: Run) {
    let Some(t) = run.app().await else { return };
    let users = || async {
        sqlx::query_scalar::<_, i64>(r#"SELECT COUNT(*) FROM "user""#)
            .fetch_one(&t.db.0)
            .await
            .unwrap()
    };
    assert_eq!(users().await, 2);
    // What `flaskr init-db` runs, writing to a buffer instead of stdout.
    let mut output = Vec::new();
    db::init_db_command(&t.db, &mut output).await.unwrap();
    assert!(String::from_utf8(output).unwrap().contains("Initialized"));
    // init_db was called: the tables are new and empty.
    assert_eq!(users().await, 0);
    // `flaskr init-db` itself (Flask's `runner.invoke(args=["init-db"])`):
    // the binary, on this database, in a folder of its own (it makes its
    // instance folder there).
    sqlx::raw_sql(DATA_SQL).execute(&t.db.0).await.unwrap();
    assert_eq!(users().await, 2);
    let folder = std::env::temp_dir().join(format!(
        "phial-flaskr-init-{}-{:?}",
        std::process::id(),
        run.backend
    ));
    std::fs::create_dir_all(&folder).unwrap();
    let output = tokio::process::Command::new(example_binary("flaskr"))
        .arg("init-db")
        .env("DATABASE_URL", &t.database)
        .current_dir(&folder)
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Initialized"));
    assert_eq!(users().await, 0);
    // And the app's command line has it.
    let mut help = Vec::new();
    t.app
        .clone()
        .cli_from(["flaskr", "--help"], &mut help)
        .await
        .unwrap();
    let help = String::from_utf8(help).unwrap();
    assert!(
        help.contains("init-db  Clear the existing data and create new tables."),
        "{help}"
    );
}

flaskr_tests!(test_get_close_db, test_init_db_command);
