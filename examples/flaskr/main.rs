//! flaskr, Flask's tutorial blog, ported whole: register, log in, write,
//! edit and delete posts. Flask's `flaskr/__init__.py` is this file, its
//! `auth.py`, `blog.py` and `db.py` the modules of the same names; the
//! templates and the stylesheet are Flask's (BSD-3-Clause, see
//! `LICENSE.txt` here).
//!
//! ```text
//! cargo run --example flaskr -- init-db        # "Initialized the database."
//! cargo run --example flaskr                   # http://127.0.0.1:5000 (or $PORT)
//! cargo run --example flaskr -- run --host 127.0.0.1 --port 5000
//! DATABASE_URL=postgres://user:pw@127.0.0.1/flaskr cargo run --example flaskr -- init-db
//! ```
//!
//! The database is `instance/flaskr.sqlite` (SQLite, bundled: nothing to
//! install) unless `DATABASE_URL` names another file (`sqlite://PATH`) or a
//! PostgreSQL server (`postgres://...`); `DATABASE` in
//! `instance/config.toml` or `PHIAL_DATABASE` do too. The tests are in
//! `tests/flaskr/`.

pub mod auth;
pub mod blog;
pub mod db;

use phial::prelude::*;
use phial::{BoxError, Config};

use self::db::Db;

/// Where Flask looks for `templates/` and `static/`: beside the app's code.
const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/flaskr/templates");
const STATIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/flaskr/static");

/// A simple page that says hello.
#[get("/hello")]
pub fn hello() -> &'static str {
    "Hello, World!"
}

/// Creates and configures an instance of the app (Flask's `create_app`).
///
/// # Errors
///
/// A bad setting (a short `SECRET_KEY`, a `DATABASE` that is no SQLite
/// path nor PostgreSQL URL), or an instance folder that can't be made.
pub fn create_app(test_config: Option<Config>) -> Result<App, BoxError> {
    let app = App::new().template_folder(TEMPLATES).static_folder(STATIC);
    // Store the database in the instance folder unless DATABASE_URL
    // names another.
    let database = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| {
            app.instance_path()
                .join("flaskr.sqlite")
                .display()
                .to_string()
        });
    let config = Config::new()
        // A default secret that should be overridden by instance config
        // (phial wants 32 bytes or more where Flask's default is "dev").
        .set("SECRET_KEY", "dev: override it in instance/config.toml")
        .set("DATABASE", database)
        // Flask's session cookie has no SameSite attribute; phial's
        // default is Lax. flaskr sends the same cookie as Flask's.
        .set("SESSION_COOKIE_SAMESITE", false);
    let config = match test_config {
        // Load the instance config, if it exists, when not testing.
        None => config
            .from_file_if_exists(app.instance_path().join("config.toml"))?
            .from_prefixed_env("PHIAL"),
        // Load the test config if passed in.
        Some(test_config) => config.from_mapping(test_config),
    };
    // Ensure the instance folder exists.
    app.ensure_instance_path()?;
    let app = app.with_config(config)?;

    let db = Db::connect_lazy(&app.config().get::<String>("DATABASE")?)?;
    let app = db::init_app(app.route(hello), db)
        .register_blueprint(auth::bp())
        .register_blueprint(blog::bp())
        // Flask's `app.add_url_rule("/", endpoint="index")`: the blog's
        // index is the app's (see `blog::bp`).
        .route(blog::index);
    Ok(app)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    create_app(None)?.cli().await?;
    Ok(())
}
