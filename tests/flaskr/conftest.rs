//! flaskr's `tests/conftest.py`: the `app`, `client` and `auth` fixtures.
//!
//! Every test runs twice: on SQLite (a temporary file per test, always)
//! and on PostgreSQL (a schema of its own per test) when
//! `PHIAL_TEST_POSTGRES_URL` names a server. Without one the PostgreSQL
//! run prints `skipped: flaskr on PostgreSQL (<test name>)`; with
//! `CI=true` it fails instead.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use phial::{App, Config, TestClient, TestResponse};

use super::app::create_app;
use super::app::db::Db;

/// flaskr's `tests/data.sql`: two users and a post.
pub const DATA_SQL: &str = include_str!("data.sql");

/// Where a test's database lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One run of a test: on which database, under which name.
#[derive(Clone, Copy, Debug)]
pub struct Run {
    pub backend: Backend,
    pub name: &'static str,
}

impl Run {
    /// The `app` fixture for this run, or `None` when it is skipped.
    pub async fn app(&self) -> Option<Flaskr> {
        Flaskr::new(self.backend, self.name).await
    }
}

/// The `app` fixture: an app on a fresh database loaded with `data.sql`,
/// its test client, and the database itself (Flask's `get_db()` in an
/// app context). The database is removed when it is dropped.
pub struct Flaskr {
    pub app: App,
    pub client: TestClient,
    pub db: Db,
    /// The database's URL (the `DATABASE` setting).
    pub database: String,
    _cleanup: Cleanup,
}

impl Flaskr {
    /// Creates the app with the common test config on a fresh database,
    /// or `None` (after saying so) when PostgreSQL is wanted and absent.
    pub async fn new(backend: Backend, test: &str) -> Option<Self> {
        let (database, cleanup) = match backend {
            Backend::Sqlite => {
                let path = temp_path();
                (format!("sqlite://{}", path.display()), Cleanup::File(path))
            }
            Backend::Postgres => {
                let (url, schema) = postgres_schema(test).await?;
                (url, Cleanup::Schema(schema))
            }
        };
        // Create the database and load test data (Flask's init_db and
        // executescript(_data_sql) in an app context).
        let db = Db::connect_lazy(&database).expect("a test database URL");
        db.init_db().await.expect("init_db");
        sqlx::raw_sql(DATA_SQL)
            .execute(&db.0)
            .await
            .expect("data.sql");
        let test_config = Config::new()
            .set("TESTING", true)
            .set("DATABASE", database.clone());
        let app = create_app(Some(test_config)).expect("create_app");
        let client = app.test_client();
        Some(Self {
            app,
            client,
            db,
            database,
            _cleanup: cleanup,
        })
    }

    /// The `auth` fixture.
    pub fn auth(&self) -> AuthActions<'_> {
        AuthActions::new(&self.client)
    }
}

/// Logs the test client in and out (Flask's `AuthActions`).
pub struct AuthActions<'c> {
    client: &'c TestClient,
}

impl<'c> AuthActions<'c> {
    /// Logs `client` in and out.
    pub fn new(client: &'c TestClient) -> Self {
        Self { client }
    }

    /// `auth.login()`: as `test`, password `test`.
    pub async fn login(&self) -> TestResponse {
        self.login_as("test", "test").await
    }

    /// `auth.login(username, password)`.
    pub async fn login_as(&self, username: &str, password: &str) -> TestResponse {
        self.client
            .post("/auth/login")
            .form(&[("username", username), ("password", password)])
            .await
    }

    /// `auth.logout()`.
    pub async fn logout(&self) -> TestResponse {
        self.client.get("/auth/logout").await
    }
}

/// A unique file in the temporary folder (Flask's `tempfile.mkstemp()`).
fn temp_path() -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("phial-flaskr-{}-{n}.sqlite", std::process::id()))
}

/// A fresh schema on the PostgreSQL server of `PHIAL_TEST_POSTGRES_URL`,
/// and the URL that makes it the app's `search_path`; `None` (after
/// printing that the test is skipped) when there is no server, a panic
/// when `CI=true`.
async fn postgres_schema(test: &str) -> Option<(String, String)> {
    let skip = |why: String| {
        if std::env::var("CI").is_ok_and(|ci| ci == "true") {
            panic!("flaskr on PostgreSQL ({test}): {why}, and CI=true needs it");
        }
        // Written to stderr directly, past the test harness's capture, so
        // a skip shows in a plain `cargo test`.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: flaskr on PostgreSQL ({test}): {why}"
        );
        None
    };
    let Some(base) = std::env::var("PHIAL_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        return skip("PHIAL_TEST_POSTGRES_URL is not set".to_owned());
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let schema = format!(
        "flaskr_{test}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = match Db::connect_lazy(&base) {
        Ok(db) => db,
        Err(error) => return skip(format!("bad PHIAL_TEST_POSTGRES_URL: {error}")),
    };
    if let Err(error) = sqlx::raw_sql(&format!(r#"CREATE SCHEMA "{schema}""#))
        .execute(&admin.0)
        .await
    {
        return skip(format!("the server is not reachable: {error}"));
    }
    admin.0.close().await;
    let separator = if base.contains('?') { '&' } else { '?' };
    Some((
        format!("{base}{separator}options[search_path]={schema}"),
        schema,
    ))
}

/// Removes a test's database when the test ends (passed or failed).
enum Cleanup {
    File(PathBuf),
    Schema(String),
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::Schema(schema) => {
                // Drop can't await: a thread of its own with its own runtime.
                let schema = schema.clone();
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    runtime.block_on(async {
                        let url = std::env::var("PHIAL_TEST_POSTGRES_URL").ok()?;
                        let admin = Db::connect_lazy(&url).ok()?;
                        let sql = format!(r#"DROP SCHEMA IF EXISTS "{schema}" CASCADE"#);
                        let done = sqlx::raw_sql(&sql).execute(&admin.0).await.ok();
                        admin.0.close().await;
                        done
                    })
                })
                .join();
                if !matches!(dropped, Ok(Some(_))) {
                    eprintln!("flaskr tests: could not drop a test schema");
                }
            }
        }
    }
}

/// Runs each named test (an `async fn(Backend)` of the file) on SQLite,
/// and on PostgreSQL in module `postgres`, under its Flask name.
macro_rules! flaskr_tests {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test($crate::flaskr::conftest::Run {
                        backend: $crate::flaskr::conftest::Backend::Sqlite,
                        name: stringify!($test),
                    })
                    .await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test($crate::flaskr::conftest::Run {
                        backend: $crate::flaskr::conftest::Backend::Postgres,
                        name: stringify!($test),
                    })
                    .await;
                }
            )*
        }
    };
}
pub(crate) use flaskr_tests;
