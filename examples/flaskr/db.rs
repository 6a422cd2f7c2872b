//! The database (Flask's `flaskr/db.py`): one pool for the app, SQLite or
//! PostgreSQL through sqlx's `Any` driver, and the `init-db` command.
//!
//! Flask opens a connection per request (`get_db`, closed by
//! `close_db`); here the app holds a pool as state, connections are
//! reused, and every query is async: nothing blocks the server's threads.
//! Queries use `$1`-style parameters, which both SQLite and PostgreSQL
//! read (sqlx's `Any` passes the SQL through untranslated).

use std::fmt;
use std::io::Write;
use std::sync::Arc;

use phial::{App, CommandResult};
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

/// SQLite's tables (Flask's `schema.sql`, with `"user"` quoted).
pub const SCHEMA_SQLITE: &str = include_str!("schema.sql");
/// The same tables for PostgreSQL.
pub const SCHEMA_POSTGRES: &str = include_str!("schema-postgres.sql");

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite://PATH`: a file, created when missing.
    Sqlite,
    /// `postgres://...` or `postgresql://...`.
    Postgres,
}

/// The app's database: a pool, shared by every request (app state).
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    url: Arc<str>,
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .field("url", &redacted(&self.url))
            .finish_non_exhaustive()
    }
}

impl Db {
    /// A pool for `database`: a `sqlite://` or `postgres://` URL, or a
    /// plain path to an SQLite file (Flask's `DATABASE` setting). The pool
    /// connects on first use, so building the app needs no await.
    ///
    /// # Errors
    ///
    /// When the URL names another database or can't be parsed.
    pub fn connect_lazy(database: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let (url, backend) =
            if database.starts_with("postgres://") || database.starts_with("postgresql://") {
                (database.to_owned(), Backend::Postgres)
            } else if let Some(path) = database.strip_prefix("sqlite://") {
                (sqlite_url(path), Backend::Sqlite)
            } else if database.contains("://") {
                return Err(sqlx::Error::Configuration(
                    format!(
                        "DATABASE: `{}` is neither `sqlite://PATH` nor `postgres://...`",
                        redacted(database)
                    )
                    .into(),
                ));
            } else {
                (sqlite_url(database), Backend::Sqlite)
            };
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .connect_lazy(&url)?;
        Ok(Self {
            pool,
            backend,
            url: url.into(),
        })
    }

    /// The pool, for queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// SQLite or PostgreSQL.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Clears the existing data and creates new tables (Flask's `init_db`).
    ///
    /// # Errors
    ///
    /// When the database can't be reached or refuses the schema.
    pub async fn init_db(&self) -> Result<(), sqlx::Error> {
        let schema = match self.backend {
            Backend::Sqlite => SCHEMA_SQLITE,
            Backend::Postgres => SCHEMA_POSTGRES,
        };
        sqlx::raw_sql(schema).execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool's connections (at shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The sqlx URL of SQLite file `path`, created when missing.
fn sqlite_url(path: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    if path.contains("mode=") {
        format!("sqlite://{path}")
    } else {
        format!("sqlite://{path}{separator}mode=rwc")
    }
}

/// `url` without its password, for messages.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The `init-db` command: clears the existing data, creates new tables,
/// and says so on `out`.
///
/// # Errors
///
/// As [`Db::init_db`], or when `out` can't be written.
pub async fn init_db_command(db: &Db, out: &mut (dyn Write + Send)) -> CommandResult {
    db.init_db().await?;
    writeln!(out, "Initialized the database.")?;
    Ok(())
}

/// Registers the database with the app (Flask's `init_app`): the pool as
/// state, the `init-db` command, and closing the pool at shutdown.
pub fn init_app(app: App, db: Db) -> App {
    let for_command = db.clone();
    let for_shutdown = db.clone();
    app.state(db)
        .command(
            "init-db",
            "Clear the existing data and create new tables.",
            move |_app| {
                let db = for_command.clone();
                async move { init_db_command(&db, &mut std::io::stdout()).await }
            },
        )
        .on_shutdown(move |_app| {
            let db = for_shutdown.clone();
            async move { db.close().await }
        })
}
