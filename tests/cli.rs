//! The app's command line (`App::cli`): Flask's `flask routes` table, the
//! app's own commands, `--help`, usage errors, and `run` in a real process
//! (`examples/commands.rs`).

use std::process::Stdio;
use std::sync::{Arc, Mutex};

use phial::clap::{Arg, Command};
use phial::prelude::*;
use phial::Blueprint;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::server::process::example_binary;
use crate::support::PATIENCE;

#[get("/")]
fn index() -> &'static str {
    "index"
}

#[route("/post/<int:id>/update", methods = ["GET", "POST"])]
fn update(id: u32) -> String {
    format!("update {id}")
}

#[delete("/post/<int:id>")]
fn remove(id: u32) -> String {
    format!("removed {id}")
}

mod auth {
    use phial::prelude::*;

    #[route("/login", methods = ["POST", "GET"])]
    pub fn login() -> &'static str {
        "login"
    }
}

fn app() -> App {
    App::new()
        .route(update)
        .route(index)
        .route(remove)
        .register_blueprint(
            Blueprint::new("auth")
                .url_prefix("/auth")
                .route(auth::login)
                .static_folder("auth_static"),
        )
}

/// What `args` print, or the error.
async fn cli(app: App, args: &[&str]) -> Result<String, phial::Error> {
    let mut out = Vec::new();
    app.cli_from(args.iter().copied(), &mut out).await?;
    Ok(String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn routes_prints_flasks_table_sorted_by_endpoint() {
    let table = cli(app(), &["app", "routes"]).await.unwrap();
    assert_eq!(
        table,
        "\
Endpoint     Methods    Rule
-----------  ---------  ----------------------------
auth.login   GET, POST  /auth/login
auth.static  GET        /auth/static/<path:filename>
index        GET        /
remove       DELETE     /post/<int:id>
static       GET        /static/<path:filename>
update       GET, POST  /post/<int:id>/update
"
    );
}

#[tokio::test]
async fn routes_sorts_by_rule_and_shows_head_and_options_on_request() {
    let app = App::new()
        .route(update)
        .route(index)
        .static_url_path("/assets");
    let table = cli(app, &["app", "routes", "--sort", "rule", "--all-methods"])
        .await
        .unwrap();
    assert_eq!(
        table,
        "\
Endpoint  Methods                   Rule
--------  ------------------------  -----------------------
index     GET, HEAD, OPTIONS        /
static    GET, HEAD, OPTIONS        /assets/<path:filename>
update    GET, HEAD, OPTIONS, POST  /post/<int:id>/update
"
    );
}

#[tokio::test]
async fn routes_of_an_app_without_any_says_so() {
    let table = cli(App::new().without_static_files(), &["app", "routes"])
        .await
        .unwrap();
    assert_eq!(table, "No routes were registered.\n");
}

#[tokio::test]
async fn an_app_command_runs_and_receives_the_app() {
    let answered = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&answered);
    let app = app().command("probe", "Ask the app for its index.", move |app| {
        let seen = Arc::clone(&seen);
        async move {
            let response = app.test_client().get("/").await;
            *seen.lock().unwrap() = Some(response.text());
            Ok(())
        }
    });
    assert_eq!(cli(app, &["app", "probe"]).await.unwrap(), "");
    assert_eq!(answered.lock().unwrap().as_deref(), Some("index"));
}

#[tokio::test]
async fn a_command_with_arguments_gets_them_parsed() {
    let greeted = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&greeted);
    let greet = Command::new("greet")
        .about("Greet someone.")
        .arg(Arg::new("name").long("name").default_value("World"));
    let app = App::new().command_with(greet, move |_app, args| {
        let name: String = args.get_one::<String>("name").unwrap().clone();
        seen.lock().unwrap().push(name);
        async { Ok(()) }
    });
    cli(app.clone(), &["app", "greet", "--name", "Ada"])
        .await
        .unwrap();
    cli(app, &["app", "greet"]).await.unwrap();
    assert_eq!(*greeted.lock().unwrap(), ["Ada", "World"]);
}

#[derive(Debug)]
struct NoDatabase;

impl std::fmt::Display for NoDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no database")
    }
}

impl std::error::Error for NoDatabase {}

#[tokio::test]
async fn a_failing_command_is_an_error_with_its_cause() {
    let app = App::new().command("init-db", "Create the tables.", |_app| async {
        Err(NoDatabase)?;
        Ok(())
    });
    let error = cli(app, &["app", "init-db"]).await.unwrap_err();
    assert!(error.is_command());
    assert_eq!(error.to_string(), "command failed: no database");
    let cause = error.source().unwrap();
    assert!(cause.downcast_ref::<NoDatabase>().is_some());
}

#[tokio::test]
async fn help_lists_the_commands_with_their_about_by_name() {
    let app = app().command(
        "init-db",
        "Clear the existing data and create new tables.",
        |_app| async { Ok(()) },
    );
    let help = cli(app, &["flaskr", "--help"]).await.unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .collect();
    assert_eq!(
        commands,
        [
            "  init-db  Clear the existing data and create new tables.",
            "  routes   Show the routes for the app.",
            "  run      Run a development server.",
            "  help     Print this message or the help of the given subcommand(s)",
        ],
        "in:\n{help}"
    );
    assert!(help.contains("Usage: flaskr [COMMAND]"), "{help}");
}

#[tokio::test]
async fn help_of_run_shows_its_options_and_port_variable() {
    let help = cli(App::new(), &["app", "run", "--help"]).await.unwrap();
    for option in [
        "--host <HOST>",
        "-p, --port <PORT>",
        "[env: PORT",
        "--debug",
    ] {
        assert!(help.contains(option), "{option} missing in:\n{help}");
    }
}

#[tokio::test]
async fn an_unknown_command_is_a_usage_error_with_a_suggestion() {
    let error = cli(App::new(), &["app", "ruotes"]).await.unwrap_err();
    assert!(error.is_usage());
    let message = error.to_string();
    assert!(
        message.contains("unrecognized subcommand 'ruotes'"),
        "{message}"
    );
    assert!(
        message.contains("a similar subcommand exists: 'routes'"),
        "{message}"
    );
}

#[tokio::test]
async fn arguments_a_command_does_not_take_are_a_usage_error() {
    let app = App::new().command("init-db", "Create the tables.", |_app| async {
        panic!("must not run")
    });
    let error = cli(app, &["app", "init-db", "--force"]).await.unwrap_err();
    assert!(error.is_usage(), "{error}");
}

#[test]
#[should_panic(expected = "`routes` is one of phial's commands")]
fn a_command_named_like_phials_own_is_refused() {
    let _ = App::new().command("routes", "Mine.", |_app| async { Ok(()) });
}

#[test]
#[should_panic(expected = "a command named `init-db` is added already")]
fn a_command_added_twice_is_refused() {
    let _ = App::new()
        .command("init-db", "One.", |_app| async { Ok(()) })
        .command("init-db", "Two.", |_app| async { Ok(()) });
}

/// `examples/commands.rs` with `args` and `PORT=port`: what it prints on
/// stdout and its exit code, once it exits.
async fn example(args: &[&str], port: &str) -> (String, String, Option<i32>) {
    let output = tokio::process::Command::new(example_binary("commands"))
        .args(args)
        .env("PORT", port)
        .output();
    let output = tokio::time::timeout(PATIENCE, output)
        .await
        .expect("the example is still running")
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code(),
    )
}

#[tokio::test]
async fn the_binary_runs_an_app_command() {
    let (stdout, _, code) = example(&["init-db"], "5000").await;
    assert_eq!(stdout, "Initialized the database.\n");
    assert_eq!(code, Some(0));
}

#[tokio::test]
async fn the_binary_exits_2_on_an_unknown_command() {
    let (stdout, stderr, code) = example(&["init-bd"], "5000").await;
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("a similar subcommand exists: 'init-db'"),
        "{stderr}"
    );
    assert_eq!(code, Some(2));
}

#[tokio::test]
async fn a_port_variable_that_is_no_port_is_a_usage_error() {
    let (_, stderr, code) = example(&["run"], "not-a-port").await;
    assert!(stderr.contains("not-a-port"), "{stderr}");
    assert_eq!(code, Some(2));
}

/// Serves `examples/commands.rs` with `args` and `PORT=port`; answers what
/// `GET /` gets and the port it served on.
async fn serve_example(args: &[&str], port: &str) -> (String, u16) {
    let mut child = tokio::process::Command::new(example_binary("commands"))
        .args(args)
        .env("PORT", port)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let (addr, _) = crate::support::read_banner(&mut stderr).await;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(PATIENCE, stream.read_to_string(&mut answer))
        .await
        .expect("no answer")
        .unwrap();
    child.kill().await.unwrap();
    (answer, addr.port())
}

#[tokio::test]
async fn the_binary_serves_by_default_on_the_port_variable() {
    let (answer, port) = serve_example(&[], "0").await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.ends_with("Hello from the command line!"), "{answer}");
    assert_ne!(port, 5000, "PORT=0 asks for a free port");
}

#[tokio::test]
async fn the_port_flag_wins_over_the_port_variable() {
    let (answer, _) = serve_example(&["run", "--host", "127.0.0.1", "--port", "0"], "nope").await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
}
