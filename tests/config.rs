//! The app's config: loaders, typed reads, the built-in settings read from
//! it, the instance folder, and the flaskr app factory.

use std::path::{Path, PathBuf};

use phial::config::Value;
use phial::prelude::*;
use phial::Config;

/// A fresh, empty folder under the system's temporary folder, removed
/// when dropped.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("phial-config-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[get("/")]
fn index() -> &'static str {
    "index"
}

#[post("/upload")]
fn upload(request: &Request) -> String {
    format!("{} bytes", request.body().len())
}

#[get("/boom")]
fn boom() -> &'static str {
    panic!("config boom")
}

#[get("/login")]
fn login(request: &Request) -> &'static str {
    request.session.insert("user", "ada");
    "logged in"
}

/// flaskr's `create_app`, in phial: defaults, then the instance folder's
/// `config.toml` (if any) or the test's config on top.
fn create_app(test_config: Option<Config>) -> Result<App, phial::Error> {
    let app = App::new();
    let config = Config::new()
        .set("SECRET_KEY", "dev key, dev key, dev key, dev key!")
        .set("DATABASE", app.instance_path().join("flaskr.sqlite"));
    let config = match test_config {
        None => config.from_file_if_exists(app.instance_path().join("config.toml"))?,
        Some(test_config) => config.from_mapping(test_config),
    };
    let app = app.with_config(config)?;
    let database: String = app.config().get("DATABASE")?;
    Ok(app
        .routes(routes![index, upload, boom, login])
        .before_request(move |request| (request.path() == "/database").then(|| database.clone())))
}

#[tokio::test]
async fn app_factory_takes_a_test_config_over_its_defaults() {
    let dir = scratch("factory");
    let database = dir.join("test.sqlite");
    let test_config = Config::new()
        .set("TESTING", true)
        .set("DATABASE", database.as_path());
    let app = create_app(Some(test_config)).unwrap();
    assert!(app.config().get::<bool>("TESTING").unwrap());
    let client = app.test_client();
    let response = client.get("/database").await;
    assert_eq!(response.text(), database.to_string_lossy());

    let default = create_app(None).unwrap();
    let response = default.test_client().get("/database").await;
    assert_eq!(
        response.text(),
        default
            .instance_path()
            .join("flaskr.sqlite")
            .to_string_lossy()
    );
    assert!(default
        .config()
        .get::<Option<bool>>("TESTING")
        .unwrap()
        .is_none());
}

#[test]
fn later_loaders_override_earlier_keys() {
    let dir = scratch("override");
    let file = write(
        &dir,
        "config.toml",
        "DATABASE = \"from-file.sqlite\"\nWORKERS = 8\n\n[MAIL]\nSERVER = \"smtp.example.com\"\nPORT = 587\n",
    );
    let config = Config::new()
        .from_mapping([("DATABASE", "default.sqlite"), ("NAME", "flaskr")])
        .from_file(&file)
        .unwrap()
        .set("WORKERS", 2);
    assert_eq!(
        config.get::<String>("DATABASE").unwrap(),
        "from-file.sqlite"
    );
    assert_eq!(config.get::<String>("NAME").unwrap(), "flaskr");
    assert_eq!(config.get::<u32>("WORKERS").unwrap(), 2);

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "UPPERCASE")]
    struct Mail {
        server: String,
        port: u16,
    }
    let mail: Mail = config.get("MAIL").unwrap();
    assert_eq!(
        mail,
        Mail {
            server: "smtp.example.com".into(),
            port: 587
        }
    );
}

#[test]
fn extract_reads_the_whole_config_into_a_struct() {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "UPPERCASE")]
    struct Settings {
        database: String,
        workers: u16,
        hosts: Vec<String>,
    }
    let config = Config::new()
        .set("DATABASE", "app.db")
        .set("WORKERS", 3)
        .set("HOSTS", vec!["a.example", "b.example"])
        .set("UNRELATED", true);
    let settings: Settings = config.extract().unwrap();
    assert_eq!(settings.database, "app.db");
    assert_eq!(settings.workers, 3);
    assert_eq!(settings.hosts, ["a.example", "b.example"]);

    let error = Config::new()
        .set("DATABASE", "app.db")
        .extract::<Settings>()
        .err()
        .unwrap();
    assert!(error.is_config());
    assert!(error.to_string().contains("WORKERS"), "{error}");
}

#[test]
fn get_errors_name_the_key_and_the_type_expected() {
    let config = Config::new().set("WORKERS", "many").set("PORT", 70000);
    let error = config.get::<u16>("WORKERS").unwrap_err();
    assert!(error.is_config());
    let message = error.to_string();
    assert!(message.contains("`WORKERS`"), "{message}");
    assert!(message.contains("u16"), "{message}");
    assert!(message.contains("\"many\""), "{message}");

    let message = config.get::<u16>("PORT").unwrap_err().to_string();
    assert!(message.contains("`PORT`"), "{message}");

    let message = config.get::<String>("MISSING").unwrap_err().to_string();
    assert!(message.contains("`MISSING` is not set"), "{message}");
    assert_eq!(config.get::<Option<String>>("MISSING").unwrap(), None);
}

#[test]
fn a_bad_config_file_names_the_file_and_the_line() {
    let dir = scratch("bad-file");
    let file = write(&dir, "config.toml", "DATABASE = \"ok\"\nWORKERS = = 3\n");
    let error = Config::new().from_file(&file).unwrap_err();
    assert!(error.is_config());
    let message = error.to_string();
    assert!(message.contains("config.toml"), "{message}");
    assert!(message.contains("line 2"), "{message}");

    let missing = dir.join("missing.toml");
    let message = Config::new().from_file(&missing).unwrap_err().to_string();
    assert!(message.contains("missing.toml"), "{message}");
    // Optional file: missing is fine, broken is not.
    assert!(Config::new()
        .from_file_if_exists(&missing)
        .unwrap()
        .is_empty());
    assert!(Config::new().from_file_if_exists(&file).is_err());
}

/// Environment variables are process-wide, and setting one while another
/// thread reads the environment is unsound: this test runs its body in a
/// child process of this test binary, with the variables set there.
#[test]
fn prefixed_env_parses_values_and_nests_on_double_underscores() {
    const CHILD: &str = "PHIAL_CONFIG_TEST_CHILD";
    if std::env::var_os(CHILD).is_none() {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "config::prefixed_env_parses_values_and_nests_on_double_underscores",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .env("FLASKR_SECRET_KEY", "not a TOML value, so text")
            .env("FLASKR_WORKERS", "4")
            .env("FLASKR_DEBUG", "true")
            .env("FLASKR_RATIO", "0.5")
            .env("FLASKR_QUOTED", "\"42\"")
            .env("FLASKR_HOSTS", "[\"a\", \"b\"]")
            .env("FLASKR_DATABASE__URL", "sqlite:///flaskr.sqlite")
            .env("FLASKR_DATABASE__POOL__SIZE", "5")
            .env("OTHER_WORKERS", "9")
            .status()
            .unwrap();
        assert!(status.success(), "the child process failed");
        return;
    }
    let config = Config::new().set("WORKERS", 1).from_prefixed_env("FLASKR");
    assert_eq!(
        config.get::<String>("SECRET_KEY").unwrap(),
        "not a TOML value, so text"
    );
    assert_eq!(config.get::<u32>("WORKERS").unwrap(), 4);
    assert!(config.get::<bool>("DEBUG").unwrap());
    assert_eq!(config.get::<f64>("RATIO").unwrap(), 0.5);
    assert_eq!(config.get::<String>("QUOTED").unwrap(), "42");
    assert_eq!(config.get::<Vec<String>>("HOSTS").unwrap(), ["a", "b"]);
    let database = config.value("DATABASE").unwrap().as_table().unwrap();
    assert_eq!(
        database["URL"],
        Value::String("sqlite:///flaskr.sqlite".into())
    );
    assert_eq!(
        database["POOL"].as_table().unwrap()["SIZE"],
        Value::Integer(5)
    );
    assert!(!config.contains_key("OTHER_WORKERS"));
    assert_eq!(config.len(), 7);
}

#[tokio::test]
async fn max_content_length_from_the_config_limits_bodies() {
    let app = App::from_config(Config::new().set("MAX_CONTENT_LENGTH", 10))
        .unwrap()
        .route(upload);
    let client = app.test_client();
    let response = client.post("/upload").body("0123456789").await;
    assert_eq!(response.text(), "10 bytes");
    let response = client.post("/upload").body("0123456789x").await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[test]
fn a_bad_built_in_value_is_an_error_naming_the_key() {
    for (key, value, needle) in [
        ("MAX_CONTENT_LENGTH", Value::from("big"), "\"big\""),
        ("MAX_HEADERS", Value::from(-1), "-1"),
        ("HEADER_READ_TIMEOUT", Value::from("soon"), "\"soon\""),
        ("DEBUG", Value::from("maybe"), "\"maybe\""),
        ("SESSION_COOKIE_SAMESITE", Value::from("Loose"), "\"Loose\""),
        ("SESSION_COOKIE_NAME", Value::from(""), "empty"),
        ("SECRET_KEY", Value::from("hunter2"), "7 bytes"),
        ("SECRET_KEY_FALLBACKS", Value::from(vec![1, 2]), "integer"),
    ] {
        let error = App::from_config(Config::new().set(key, value)).unwrap_err();
        assert!(error.is_config(), "{key}: {error}");
        let message = error.to_string();
        assert!(message.contains(&format!("`{key}`")), "{message}");
        assert!(message.contains(needle), "{key}: {message}");
    }
}

#[test]
fn builder_methods_and_defaults_show_in_the_config() {
    let app = App::new();
    let config = app.config();
    assert_eq!(
        config.get::<u64>("MAX_CONTENT_LENGTH").unwrap(),
        16 * 1024 * 1024
    );
    assert_eq!(config.get::<u64>("HEADER_READ_TIMEOUT").unwrap(), 30);
    assert_eq!(
        config.get::<String>("SESSION_COOKIE_NAME").unwrap(),
        "session"
    );
    assert_eq!(
        config.get::<String>("SESSION_COOKIE_SAMESITE").unwrap(),
        "Lax"
    );
    assert!(!config.get::<bool>("SESSION_COOKIE_DOMAIN").unwrap());

    let app = App::new()
        .max_body_size(5)
        .body_read_timeout(std::time::Duration::from_millis(1500))
        .session_cookie_name("sid")
        .session_cookie_same_site(None);
    let config = app.config();
    assert_eq!(config.get::<u64>("MAX_CONTENT_LENGTH").unwrap(), 5);
    assert_eq!(config.get::<f64>("BODY_READ_TIMEOUT").unwrap(), 1.5);
    assert_eq!(config.get::<String>("SESSION_COOKIE_NAME").unwrap(), "sid");
    assert!(!config.get::<bool>("SESSION_COOKIE_SAMESITE").unwrap());

    // A config's values, read back through the app, round-trip.
    let again = App::from_config(app.config().clone()).unwrap();
    assert_eq!(again.config(), app.config());
}

#[test]
fn the_config_debug_output_hides_secrets() {
    let app = App::from_config(
        Config::new()
            .set("SECRET_KEY", "a very secret key of more than 32 bytes")
            .set("DB_PASSWORD", "hunter2")
            .set("DATABASE", "app.db"),
    )
    .unwrap();
    let shown = format!("{:?}", app.config());
    assert!(!shown.contains("very secret"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("app.db"), "{shown}");
}

#[tokio::test]
async fn session_cookie_settings_come_from_the_config() {
    let app = App::from_config(
        Config::new()
            .set("SECRET_KEY", phial::generate_secret_key())
            .set("SESSION_COOKIE_NAME", "sid")
            .set("SESSION_COOKIE_SAMESITE", "Strict")
            .set("SESSION_COOKIE_PATH", "/app")
            .set("SESSION_COOKIE_HTTPONLY", "off"),
    )
    .unwrap()
    .route(login);
    let response = app.test_client().get("/login").await;
    let cookies = response.set_cookie_headers();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let cookie = &cookies[0];
    assert!(cookie.starts_with("sid="), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/app"), "{cookie}");
    assert!(!cookie.contains("HttpOnly"), "{cookie}");
}

#[tokio::test]
async fn debug_from_the_config_shows_the_panic() {
    let app = App::from_config(Config::new().set("DEBUG", true))
        .unwrap()
        .route(boom);
    let response = app.test_client().get("/boom").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.text().contains("config boom"));

    let app = App::from_config(Config::new().set("DEBUG", false))
        .unwrap()
        .route(boom);
    let response = app.test_client().get("/boom").await;
    assert!(!response.text().contains("config boom"));
}

#[test]
fn the_instance_folder_is_made_on_demand() {
    let dir = scratch("instance");
    let app = App::new().with_instance_path(dir.join("nested/instance"));
    assert!(app.instance_path().is_absolute());
    assert!(!app.instance_path().exists());
    let made = app.ensure_instance_path().unwrap();
    assert!(made.is_dir());
    // Again: already there is fine.
    app.ensure_instance_path().unwrap();

    // A file where the folder should be: the error names the folder.
    let blocked = write(&dir, "blocked", "a file");
    let error = App::new()
        .with_instance_path(&blocked)
        .ensure_instance_path()
        .unwrap_err();
    assert!(error.is_io());
    assert!(error.to_string().contains("blocked"), "{error}");

    let default = App::new();
    assert_eq!(
        default.instance_path(),
        std::env::current_dir().unwrap().join("instance")
    );
}
