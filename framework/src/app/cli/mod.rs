//! The app's binary as its command line, as Flask's `flask` command: `run`
//! (the default), `routes`, and the commands the app adds with
//! [`App::command`], parsed by clap. `run`'s flags are in [`run`], the
//! `routes` table in [`routes`].

mod routes;
mod run;

use std::ffi::OsString;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;

use clap::{ArgMatches, Command};

use crate::app::application::{AppCommand, CommandHandler as Handler};
use crate::{App, Error};
use routes::{routes_command, routes_flags, Sort};
use run::{run_command, run_flags};

/// What a command added with [`App::command`] returns: `Ok(())`, or any
/// error (`?` converts it), which [`App::cli`] returns as an [`Error`] that
/// [`is_command`](Error::is_command).
pub type CommandResult = Result<(), crate::BoxError>;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The names phial's own commands take (`help` is clap's).
const BUILT_IN: [&str; 3] = ["run", "routes", "help"];

/// What the command line asked for.
enum Action {
    Run { address: String, debug: bool },
    Routes { sort: Sort, all_methods: bool },
    Command(Arc<Handler>, ArgMatches),
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
        let app = self.with_discovered();
        let action = match app.parse(std::env::args_os().collect()) {
            Ok(action) => action,
            Err(error) => error.exit(),
        };
        app.perform(action, &mut std::io::stdout()).await
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
        let app = self.with_discovered();
        let action = match app.parse(args.into_iter().map(Into::into).collect()) {
            Ok(action) => action,
            // `--help`: what `cli` prints to stdout before it exits with 0.
            Err(help) if !help.use_stderr() => {
                return write!(out, "{}", help.render()).map_err(Error::io);
            }
            Err(error) => return Err(Error::usage(error)),
        };
        app.perform(action, out).await
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
            Some(("routes", matches)) => {
                let (sort, all_methods) = routes_flags(matches);
                Action::Routes { sort, all_methods }
            }
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
                    .write_all(self.routes_table(sort, all_methods).as_bytes())
                    .map_err(Error::io),
                Action::Command(handler, matches) => {
                    handler(self, matches).await.map_err(Error::command)
                }
            }
        })
    }

    /// What `routes` prints for this app: its routes, then the static
    /// folders of the app and its blueprints.
    fn routes_table(&self, sort: Sort, all_methods: bool) -> String {
        let inner = &self.inner;
        let routes = inner
            .router
            .routes()
            .map(|route| (route.name(), route.methods, route.pattern()));
        let app_static = inner
            .static_files
            .iter()
            .map(|files| ("static".to_owned(), files.url_path.as_str()));
        let blueprint_static = inner.blueprints.iter().filter_map(|blueprint| {
            let url_path = blueprint.static_url_path.as_deref()?;
            Some((format!("{}.static", blueprint.name), url_path))
        });
        let static_files = app_static.chain(blueprint_static);
        routes::routes_table(routes, static_files, sort, all_methods)
    }
}

/// `run` with the flags in `matches`.
fn run_action(matches: &ArgMatches) -> Action {
    let (address, debug) = run_flags(matches);
    Action::Run { address, debug }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `args` ask of an app without routes or commands.
    pub(super) fn parse(args: &[&str]) -> Result<Action, clap::Error> {
        App::new().parse(args.iter().map(OsString::from).collect())
    }

    #[test]
    fn no_command_is_run() {
        assert!(matches!(
            parse(&["app"]).unwrap(),
            Action::Run { debug: false, .. }
        ));
    }
}
