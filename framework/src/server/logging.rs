//! The log subscriber `App::run` installs (with the `logging` feature), or
//! the notice that there is none; and the log's output, written from a
//! thread of its own (`log_writer.rs`) and flushed at shutdown.

#[cfg(feature = "logging")]
use std::io::IsTerminal;
#[cfg(feature = "logging")]
use std::sync::OnceLock;
#[cfg(feature = "logging")]
use std::time::Duration;

#[cfg(feature = "logging")]
use super::log_writer::LogWriter;

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

/// Without the `logging` feature: nothing to flush.
#[cfg(not(feature = "logging"))]
pub(crate) fn flush_log() {}

/// Without the `logging` feature: `tracing` says whether the access log is
/// on.
#[cfg(not(feature = "logging"))]
pub(crate) fn access_log_on() -> Option<bool> {
    None
}

/// The log's output, once `App::run` installed its subscriber.
#[cfg(feature = "logging")]
struct Output {
    writer: LogWriter,
    /// Whether access lines are written straight to `writer` (the filter
    /// lets them through, and they need no colours).
    direct_access: bool,
    /// Whether the filter lets access lines through at all.
    access_on: bool,
}

#[cfg(feature = "logging")]
static OUTPUT: OnceLock<Output> = OnceLock::new();

/// Whether the access log is on, when phial's own subscriber decides it;
/// `None` when `tracing` must be asked (the app installed its own, or none
/// is installed yet).
#[cfg(feature = "logging")]
pub(crate) fn access_log_on() -> Option<bool> {
    OUTPUT.get().map(|output| output.access_on)
}

/// Where access lines are written without a `tracing` event, if they are.
#[cfg(feature = "logging")]
pub(crate) fn access_log_writer() -> Option<&'static LogWriter> {
    OUTPUT
        .get()
        .filter(|output| output.direct_access)
        .map(|output| &output.writer)
}

/// How long the shutdown waits for the log's last lines to be written.
#[cfg(feature = "logging")]
const FLUSH_TIMEOUT: Duration = Duration::from_secs(10);

/// Writes out every log line so far (at the end of `App::run`, after the
/// graceful shutdown): a clean shutdown loses none.
#[cfg(feature = "logging")]
pub(crate) fn flush_log() {
    if let Some(output) = OUTPUT.get() {
        if !output.writer.flush(FLUSH_TIMEOUT) {
            eprintln!(" * The log could not be written out within {FLUSH_TIMEOUT:?}");
        }
    }
}

/// Installs the log subscriber, unless the app installed its own: the
/// `RUST_LOG` filter, tracing-subscriber's format, written to stdout from
/// a thread of its own (`log_writer.rs`). The access lines skip `tracing`
/// when nothing but the filter needs to see them (see `access_log.rs`).
#[cfg(feature = "logging")]
pub(crate) fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    if tracing::dispatcher::has_been_set() || OUTPUT.get().is_some() {
        return;
    }
    // `RUST_LOG` directives by level and target (`warn`, `info,phial=debug`):
    // tracing-subscriber's `Targets`, which needs no regex engine (its
    // `EnvFilter` compiles one in: a tenth of a clean build's crates).
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO));
    // Colours only for a person watching: not in a pipe or a log file.
    let ansi = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let writer = match LogWriter::spawn(std::io::stdout(), dropped_notice) {
        Ok(writer) => writer,
        Err(error) => {
            eprintln!(" * No log: its writing thread could not start: {error}");
            return;
        }
    };
    let access_on = filter.would_enable("phial::access", &tracing::Level::INFO);
    let installed = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(ansi)
                .with_writer(writer.clone()),
        )
        .with(filter)
        .try_init();
    // Fails when the application installed its own subscriber: keep theirs.
    if installed.is_ok() {
        let _ = OUTPUT.set(Output {
            writer,
            direct_access: access_on && !ansi,
            access_on,
        });
    }
}

/// The line that says how many lines the log dropped (see `log_writer.rs`).
#[cfg(feature = "logging")]
fn dropped_notice(dropped: u64) -> Vec<u8> {
    let mut line = Vec::with_capacity(160);
    let now = std::time::Instant::now();
    super::log_line::Clock::new().write_timestamp(&mut line, now);
    line.extend_from_slice(b"  WARN phial::log: ");
    line.extend_from_slice(
        format!(
            "{dropped} log line(s) dropped: the log's output (stdout) did not keep up, \
             and requests are never made to wait for it\n"
        )
        .as_bytes(),
    );
    line
}

#[cfg(all(test, feature = "logging"))]
mod tests {
    #[test]
    fn the_dropped_notice_is_a_warning_line_with_the_count() {
        let line = String::from_utf8(super::dropped_notice(42)).unwrap();
        let (stamp, message) = line.split_once("  WARN phial::log: ").unwrap();
        assert!(stamp.len() == 27 && stamp.ends_with('Z'), "{line}");
        assert!(message.starts_with("42 log line(s) dropped"), "{line}");
        assert!(message.ends_with('\n') && message.matches('\n').count() == 1);
    }
}
