//! `run`, as Flask's `flask run`: its flags, and the address they give.

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};

/// `run`, as Flask's `flask run`.
pub(super) fn run_command() -> Command {
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

/// The address (`host:port`) `run`'s flags ask to serve on, and whether
/// in debug mode.
pub(super) fn run_flags(matches: &ArgMatches) -> (String, bool) {
    let host = matches
        .get_one::<String>("host")
        .map_or("127.0.0.1", String::as_str);
    let port = matches.get_one::<u16>("port").copied().unwrap_or(5000);
    (address(host, port), matches.get_flag("debug"))
}

/// `host:port`, an IPv6 host in brackets (`[::1]:5000`).
fn address(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use crate::app::cli::tests::parse;
    use crate::app::cli::Action;

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
    fn a_port_out_of_range_is_a_usage_error() {
        let error = parse(&["app", "run", "--port", "70000"])
            .err()
            .expect("70000 is no port");
        assert_eq!(error.exit_code(), 2);
    }
}
