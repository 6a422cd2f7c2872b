//! The database (Flask's `flaskr/db.py`): one pool for the app, SQLite or
//! PostgreSQL through sqlx's `Any` driver, and the `init-db` command.
//!
//! Flask opens a connection per request (`get_db`, closed by
//! `close_db`); here the app holds a pool as state, connections are
//! reused, and every query is async: nothing blocks the server's threads.
//! Queries use `$1`-style parameters, which both SQLite and PostgreSQL
//! read (sqlx's `Any` passes the SQL through untranslated).

use std::io::Write;

use phial::{App, CommandResult};
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

/// The app's database: a pool, shared by every request (app state).
#[derive(Clone, Debug)]
pub struct Db(pub AnyPool);

impl Db {
    /// A pool for `database`: a `sqlite://PATH` or `postgres://...` URL, or
    /// a plain path to an SQLite file (Flask's `DATABASE` setting); the
    /// SQLite file is created when missing. The pool connects on first
    /// use, so building the app needs no await.
    ///
    /// # Errors
    ///
    /// When the URL names a database sqlx doesn't drive, or doesn't parse.
    pub fn connect_lazy(database: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let path = database.strip_prefix("sqlite://").unwrap_or(database);
        let url = if path.contains("://") {
            path.to_owned()
        } else {
            format!("sqlite://{path}?mode=rwc")
        };
        Ok(Self(AnyPoolOptions::new().connect_lazy(&url)?))
    }

    /// Clears the existing data and creates new tables (Flask's `init_db`)
    /// from `schema.sql`, or from `schema-postgres.sql` on PostgreSQL: the
    /// two differ only in how a key is generated, which no SQL both read.
    ///
    /// # Errors
    ///
    /// When the database can't be reached or refuses the schema.
    pub async fn init_db(&self) -> Result<(), sqlx::Error> {
        let schema = match self.0.connect_options().database_url.scheme() {
            "sqlite" => include_str!("schema.sql"),
            _ => include_str!("schema-postgres.sql"),
        };
        sqlx::raw_sql(schema).execute(&self.0).await?;
        Ok(())
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
    let (for_command, for_shutdown) = (db.clone(), db.clone());
    app.state(db)
        .command(
            "init-db",
            "Clear the existing data and create new tables.",
            move |_| {
                let db = for_command.clone();
                async move { init_db_command(&db, &mut std::io::stdout()).await }
            },
        )
        .on_shutdown(move |_| {
            let pool = for_shutdown.0.clone();
            async move { pool.close().await }
        })
}
