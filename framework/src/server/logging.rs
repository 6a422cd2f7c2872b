//! The log subscriber `App::run` installs (with the `logging` feature), or
//! the notice that there is none.

#[cfg(feature = "logging")]
use std::io::IsTerminal;

/// Without the `logging` feature: no subscriber of phial's, so one line
/// on stderr when the app installed none either, lest its log go nowhere
/// unnoticed.
#[cfg(not(feature = "logging"))]
pub(crate) fn init_logging() {
    if !tracing::dispatcher::has_been_set() {
        eprintln!(
            " * No log subscriber: phial's `logging` feature is off; install a \
             tracing subscriber to see the access log and errors"
        );
    }
}

/// Installs the log subscriber, unless the app installed its own.
#[cfg(feature = "logging")]
pub(crate) fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // `RUST_LOG` directives by level and target (`warn`, `info,phial=debug`):
    // tracing-subscriber's `Targets`, which needs no regex engine (its
    // `EnvFilter` compiles one in: a tenth of a clean build's crates).
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO));
    // Colours only for a person watching: not in a pipe or a log file.
    let ansi = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Fails when the application installed its own subscriber: keep theirs.
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_ansi(ansi))
        .with(filter)
        .try_init();
}
