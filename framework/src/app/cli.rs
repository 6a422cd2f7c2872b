//! The app's binary as its command line, as Flask's `flask` command: `run`
//! (the default), `routes`, and the commands the app adds with
//! [`App::command`], parsed by clap.

use std::ffi::OsString;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};

use crate::app::routing::methods::MethodSet;
use crate::{App, Error};

/// What a command added with [`App::command`] returns: `Ok(())`, or any
/// error (`?` converts it), which [`App::cli`] returns as an [`Error`] that
/// [`is_command`](Error::is_command).
pub type CommandResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
type Handler = dyn Fn(App, ArgMatches) -> BoxFuture<'static, CommandResult> + Send + Sync;

/// A command the app added: its clap definition and its handler.
#[derive(Clone)]
pub(crate) struct AppCommand {
    command: Command,
    handler: Arc<Handler>,
}

/// The names phial's own commands take (`help` is clap's).
const BUILT_IN: [&str; 3] = ["run", "routes", "help"];

/// What the command line asked for.
enum Action {
    Run { address: String, debug: bool },
    Routes { sort: Sort, all_methods: bool },
    Command(Arc<Handler>, ArgMatches),
}

/// The column `routes` sorts by (Flask's `--sort`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sort {
    Endpoint,
    Methods,
    Rule,
    /// The order the routes were registered in.
    Match,
}

impl App {
    /// Adds the command `name` to the app's [command line](Self::cli),
    /// listed by `--help` with `about`, as Flask's `@app.cli.command`. The
    /// handler gets the app (a cheap clone, to reach its settings) and
    /// runs on the caller's runtime, so it may `.await` (a database, say).
    ///
    /// # Panics
    ///
    /// If `name` is one of phial's commands (`run`, `routes`, `help`) or a
    /// command the app added already.
    ///
    /// ```no_run
    /// use phial::prelude::*;
    ///
    /// #[tokio::main]
    /// async fn main() -> Result<(), phial::Error> {
    ///     App::new()
    ///         .command("init-db", "Clear the existing data and create new tables.", |_app| async {
    ///             // ... create the tables ...
    ///             println!("Initialized the database.");
    ///             Ok(())
    ///         })
    ///         .cli()
    ///         .await
    /// }
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn command<F, Fut>(
        self,
        name: impl Into<String>,
        about: impl Into<String>,
        handler: F,
    ) -> Self
    where
        F: Fn(App) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = CommandResult> + Send + 'static,
    {
        let command = Command::new(name.into()).about(about.into());
        self.command_with(command, move |app, _| handler(app))
    }

    /// Adds a command with arguments of its own, defined with clap's
    /// builder (re-exported as [`phial::clap`](crate::clap)); the handler
    /// gets the app and the parsed arguments.
    ///
    /// # Panics
    ///
    /// As [`command`](Self::command).
    ///
    /// ```no_run
    /// use phial::clap::{Arg, Command};
    /// use phial::prelude::*;
    ///
    /// #[tokio::main]
    /// async fn main() -> Result<(), phial::Error> {
    ///     let greet = Command::new("greet")
    ///         .about("Greet someone.")
    ///         .arg(Arg::new("name").long("name").default_value("World"));
    ///     App::new()
    ///         .command_with(greet, |_app, args| async move {
    ///             let name: &String = args.get_one("name").expect("it has a default");
    ///             println!("Hello, {name}!");
    ///             Ok(())
    ///         })
    ///         .cli()
    ///         .await
    /// }
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn command_with<F, Fut>(mut self, command: Command, handler: F) -> Self
    where
        F: Fn(App, ArgMatches) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = CommandResult> + Send + 'static,
    {
        let name = command.get_name();
        assert!(
            !BUILT_IN.contains(&name),
            "`{name}` is one of phial's commands (run, routes, help): give yours another name"
        );
        let commands = &mut self.inner_mut().commands;
        assert!(
            commands
                .iter()
                .all(|other| other.command.get_name() != name),
            "a command named `{name}` is added already: give each command its own name"
        );
        let handler: Arc<Handler> = Arc::new(move |app, matches| Box::pin(handler(app, matches)));
        commands.push(AppCommand { command, handler });
        self
    }

    /// Runs the command line in `std::env::args`, as Flask's `flask`
    /// command: `run` (the default when no command is given) serves the
    /// app, `routes` lists its routes, `--help` lists the commands, and
    /// the app's own commands (see [`command`](Self::command)) run.
    ///
    /// | Flask | phial |
    /// |---|---|
    /// | `flask run --host 0.0.0.0 --port 8000 --debug` | `app run --host 0.0.0.0 --port 8000 --debug` (or just `app`; `PORT` is honoured, the flag wins) |
    /// | `flask routes [--sort rule] [--all-methods]` | `app routes [--sort rule] [--all-methods]` |
    /// | `flask init-db` (`@app.cli.command`) | `app init-db` ([`App::command`]) |
    /// | `flask --help` | `app --help` |
    ///
    /// A command line that doesn't parse (an unknown command, say) prints
    /// clap's message, with a suggestion, and exits with status 2; `--help`
    /// prints and exits with status 0.
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run) for `run`; an error that
    /// [`is_command`](Error::is_command) when the app's command fails.
    ///
    /// ```no_run
    /// use phial::prelude::*;
    ///
    /// #[route("/")]
    /// fn index() -> &'static str {
    ///     "Hello, World!"
    /// }
    ///
    /// #[tokio::main]
    /// async fn main() -> Result<(), phial::Error> {
    ///     App::new().route(index).cli().await
    /// }
    /// ```
    pub async fn cli(self) -> Result<(), Error> {
        let action = match self.parse(std::env::args_os().collect()) {
            Ok(action) => action,
            Err(error) => error.exit(),
        };
        self.perform(action, &mut std::io::stdout()).await
    }

    /// Runs the command line `args` (the program's name first, as in
    /// `std::env::args`), as [`cli`](Self::cli) does, writing what
    /// `routes` and `--help` print to `out` instead of stdout, and
    /// returning an error that [`is_usage`](Error::is_usage) where `cli`
    /// would exit with status 2: for tests.
    ///
    /// # Errors
    ///
    /// As [`cli`](Self::cli); an error that [`is_usage`](Error::is_usage)
    /// when `args` don't parse; an I/O error when `out` fails.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[get("/")]
    /// fn index() -> &'static str { "index" }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let mut out = Vec::new();
    /// App::new()
    ///     .route(index)
    ///     .without_static_files()
    ///     .cli_from(["app", "routes"], &mut out)
    ///     .await
    ///     .unwrap();
    /// assert_eq!(
    ///     String::from_utf8(out).unwrap(),
    ///     "Endpoint  Methods  Rule\n--------  -------  ----\nindex     GET      /\n"
    /// );
    ///
    /// let error = App::new().cli_from(["app", "rutes"], &mut Vec::new()).await.unwrap_err();
    /// assert!(error.is_usage());
    /// assert!(error.to_string().contains("a similar subcommand exists: 'routes'"));
    /// # }
    /// ```
    pub async fn cli_from<I, T>(self, args: I, out: &mut (dyn Write + Send)) -> Result<(), Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let action = match self.parse(args.into_iter().map(Into::into).collect()) {
            Ok(action) => action,
            // `--help`: what `cli` prints to stdout before it exits with 0.
            Err(help) if !help.use_stderr() => {
                return write!(out, "{}", help.render()).map_err(Error::io);
            }
            Err(error) => return Err(Error::usage(error)),
        };
        self.perform(action, out).await
    }

    /// What `args` ask for.
    fn parse(&self, args: Vec<OsString>) -> Result<Action, clap::Error> {
        let mut commands = vec![run_command(), routes_command()];
        commands.extend(self.inner.commands.iter().map(|c| c.command.clone()));
        // Listed by name in `--help`, as Flask (click) lists them.
        commands.sort_by(|a, b| a.get_name().cmp(b.get_name()));
        let matches = Command::new("app")
            .about("The app's command line: serve it, list its routes, run its commands.")
            .after_help("Without a command, `run` serves the app.")
            .subcommands(commands)
            .try_get_matches_from(args)?;
        Ok(match matches.subcommand() {
            None => run_action(&run_command().try_get_matches_from(["run"])?),
            Some(("run", matches)) => run_action(matches),
            Some(("routes", matches)) => Action::Routes {
                sort: match matches.get_one::<String>("sort").map(String::as_str) {
                    Some("methods") => Sort::Methods,
                    Some("rule") => Sort::Rule,
                    Some("match") => Sort::Match,
                    _ => Sort::Endpoint,
                },
                all_methods: matches.get_flag("all-methods"),
            },
            Some((name, matches)) => {
                let command = self
                    .inner
                    .commands
                    .iter()
                    .find(|command| command.command.get_name() == name)
                    .expect("clap matched a command the app added");
                Action::Command(Arc::clone(&command.handler), matches.clone())
            }
        })
    }

    /// Does what the command line asked for. Boxed: compiled once, in
    /// phial, rather than in every app that awaits it.
    fn perform<'a>(
        self,
        action: Action,
        out: &'a mut (dyn Write + Send),
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            match action {
                Action::Run { address, debug } => {
                    let app = if debug { self.debug(true) } else { self };
                    app.run(&address).await
                }
                Action::Routes { sort, all_methods } => out
                    .write_all(routes_table(&self, sort, all_methods).as_bytes())
                    .map_err(Error::io),
                Action::Command(handler, matches) => {
                    handler(self, matches).await.map_err(Error::command)
                }
            }
        })
    }
}

/// `run`, as Flask's `flask run`.
fn run_command() -> Command {
    Command::new("run")
        .about("Run a development server.")
        .arg(
            Arg::new("host")
                .long("host")
                .value_name("HOST")
                .default_value("127.0.0.1")
                .help("The interface to bind to."),
        )
        .arg(
            Arg::new("port")
                .long("port")
                .short('p')
                .value_name("PORT")
                .env("PORT")
                .default_value("5000")
                .value_parser(value_parser!(u16))
                .help("The port to bind to."),
        )
        .arg(
            Arg::new("debug")
                .long("debug")
                .action(ArgAction::SetTrue)
                .help("Debug mode: panics shown in the browser, templates reloaded."),
        )
}

fn run_action(matches: &ArgMatches) -> Action {
    let host = matches
        .get_one::<String>("host")
        .map_or("127.0.0.1", String::as_str);
    let port = matches.get_one::<u16>("port").copied().unwrap_or(5000);
    Action::Run {
        address: address(host, port),
        debug: matches.get_flag("debug"),
    }
}

/// `host:port`, an IPv6 host in brackets (`[::1]:5000`).
fn address(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `routes`, as Flask's `flask routes`.
fn routes_command() -> Command {
    Command::new("routes")
        .about("Show the routes for the app.")
        .arg(
            Arg::new("sort")
                .long("sort")
                .short('s')
                .value_parser(["endpoint", "methods", "rule", "match"])
                .default_value("endpoint")
                .help("The column to sort by; `match` keeps the order of registration."),
        )
        .arg(
            Arg::new("all-methods")
                .long("all-methods")
                .action(ArgAction::SetTrue)
                .help("Show HEAD and OPTIONS methods."),
        )
}

/// The routes as Flask's `flask routes` prints them: `Endpoint`, `Methods`
/// and `Rule` columns, each as wide as its longest cell, underlined with
/// dashes, two spaces apart (without Flask's trailing spaces).
fn routes_table(app: &App, sort: Sort, all_methods: bool) -> String {
    let inner = &app.inner;
    let shown = |methods: MethodSet| {
        let mut names: Vec<String> = methods
            .to_allow_header()
            .split(", ")
            .filter(|name| all_methods || (*name != "HEAD" && *name != "OPTIONS"))
            .map(str::to_owned)
            .collect();
        // phial answers OPTIONS for every route, as Flask does.
        if all_methods && !names.iter().any(|name| name == "OPTIONS") {
            names.push("OPTIONS".to_owned());
        }
        names.sort_unstable();
        names.join(", ")
    };
    let mut rows: Vec<[String; 3]> = inner
        .router
        .routes()
        .map(|route| {
            [
                route.name().to_owned(),
                shown(route.methods),
                route.pattern().to_owned(),
            ]
        })
        .collect();
    let static_methods = shown(MethodSet::GET.union(MethodSet::HEAD));
    if let Some(files) = &inner.static_files {
        rows.push([
            "static".to_owned(),
            static_methods.clone(),
            format!("{}/<path:filename>", files.url_path),
        ]);
    }
    for blueprint in &inner.blueprints {
        if let Some(url_path) = &blueprint.static_url_path {
            rows.push([
                format!("{}.static", blueprint.name),
                static_methods.clone(),
                format!("{url_path}/<path:filename>"),
            ]);
        }
    }
    if rows.is_empty() {
        return "No routes were registered.\n".to_owned();
    }
    match sort {
        Sort::Endpoint => rows.sort_by(|a, b| a[0].cmp(&b[0])),
        Sort::Methods => rows.sort_by(|a, b| a[1].cmp(&b[1])),
        Sort::Rule => rows.sort_by(|a, b| a[2].cmp(&b[2])),
        Sort::Match => {}
    }
    let header = ["Endpoint", "Methods", "Rule"].map(str::to_owned);
    let widths: [usize; 3] = std::array::from_fn(|column| {
        std::iter::once(&header)
            .chain(&rows)
            .map(|row| row[column].chars().count())
            .max()
            .unwrap_or(0)
    });
    let dashes = widths.map(|width| "-".repeat(width));
    let mut table = String::new();
    for row in [header, dashes].iter().chain(&rows) {
        let line = format!(
            "{:<w0$}  {:<w1$}  {}",
            row[0],
            row[1],
            row[2],
            w0 = widths[0],
            w1 = widths[1],
        );
        table.push_str(line.trim_end());
        table.push('\n');
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Action, clap::Error> {
        App::new().parse(args.iter().map(OsString::from).collect())
    }

    fn run_of(args: &[&str]) -> (String, bool) {
        match parse(args).unwrap() {
            Action::Run { address, debug } => (address, debug),
            _ => panic!("{args:?} is not `run`"),
        }
    }

    #[test]
    fn run_flags_give_the_address_and_debug() {
        assert_eq!(
            run_of(&["app", "run", "--host", "0.0.0.0", "--port", "8000", "--debug"]),
            ("0.0.0.0:8000".to_owned(), true)
        );
        assert_eq!(
            run_of(&["app", "run", "-p", "8001"]).0,
            "127.0.0.1:8001".to_owned()
        );
        assert_eq!(
            run_of(&["app", "run", "--host", "::1", "-p", "80"]).0,
            "[::1]:80"
        );
    }

    #[test]
    fn no_command_is_run() {
        assert!(matches!(
            parse(&["app"]).unwrap(),
            Action::Run { debug: false, .. }
        ));
    }

    #[test]
    fn a_port_out_of_range_is_a_usage_error() {
        let error = parse(&["app", "run", "--port", "70000"])
            .err()
            .expect("70000 is no port");
        assert_eq!(error.exit_code(), 2);
    }

    #[test]
    fn routes_takes_flasks_sort_and_all_methods() {
        match parse(&["app", "routes", "-s", "rule", "--all-methods"]).unwrap() {
            Action::Routes { sort, all_methods } => {
                assert_eq!(sort, Sort::Rule);
                assert!(all_methods);
            }
            _ => panic!("not `routes`"),
        }
    }
}
