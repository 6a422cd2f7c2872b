//! `routes`, as Flask's `flask routes`: its flags, and the table of the
//! app's routes it prints.

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::app::routing::methods::MethodSet;

/// The column `routes` sorts by (Flask's `--sort`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Sort {
    Endpoint,
    Methods,
    Rule,
    /// The order the routes were registered in.
    Match,
}

/// `routes`, as Flask's `flask routes`.
pub(super) fn routes_command() -> Command {
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

/// What `routes`' flags ask for: the column to sort by, and whether to
/// show `HEAD` and `OPTIONS`.
pub(super) fn routes_flags(matches: &ArgMatches) -> (Sort, bool) {
    let sort = match matches.get_one::<String>("sort").map(String::as_str) {
        Some("methods") => Sort::Methods,
        Some("rule") => Sort::Rule,
        Some("match") => Sort::Match,
        _ => Sort::Endpoint,
    };
    (sort, matches.get_flag("all-methods"))
}

/// The routes as Flask's `flask routes` prints them: `Endpoint`, `Methods`
/// and `Rule` columns, each as wide as its longest cell, underlined with
/// dashes, two spaces apart (without Flask's trailing spaces). `routes`
/// gives each route's name, methods and pattern in registration order,
/// `static_files` each static folder's endpoint and URL path.
pub(super) fn routes_table<'a>(
    routes: impl Iterator<Item = (&'a str, MethodSet, &'a str)>,
    static_files: impl Iterator<Item = (String, &'a str)>,
    sort: Sort,
    all_methods: bool,
) -> String {
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
    let mut rows: Vec<[String; 3]> = routes
        .map(|(name, methods, pattern)| [name.to_owned(), shown(methods), pattern.to_owned()])
        .collect();
    let static_methods = shown(MethodSet::GET.union(MethodSet::HEAD));
    rows.extend(static_files.map(|(endpoint, url_path)| {
        [
            endpoint,
            static_methods.clone(),
            format!("{url_path}/<path:filename>"),
        ]
    }));
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
    use crate::app::cli::tests::parse;
    use crate::app::cli::Action;

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
