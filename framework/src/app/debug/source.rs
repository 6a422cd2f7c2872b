//! Where code failed, as source: a file location's lines read from disk,
//! and a backtrace's frames, the app's own first, with their source.

use std::path::{Path, PathBuf};

use super::page::Page;

/// Lines shown before and after the failing one.
const CONTEXT: usize = 5;

/// At most this many of the app's frames get their source shown.
const SHOWN_FRAMES: usize = 8;

/// One frame of a backtrace.
struct Frame {
    function: String,
    /// `file:line[:column]`, when the backtrace knows it.
    location: Option<String>,
}

/// Writes the source around `location` (`file:line[:column]`), if the file
/// can be read; says so otherwise.
pub(super) fn write_location(page: &mut Page, location: &str) {
    match excerpt(location) {
        Some((lines, hit)) => page.source(location, &lines, hit),
        None => page.line(&format!("at {location} (source not found)")),
    }
}

/// Writes `backtrace`: the app's frames first, each with its source, then
/// every other frame (std, tokio, hyper, phial) in a collapsed group.
pub(super) fn write_backtrace(page: &mut Page, backtrace: &str) {
    let frames = parse(backtrace);
    let (own, library): (Vec<&Frame>, Vec<&Frame>) = frames
        .iter()
        .partition(|frame| frame.location.as_deref().is_some_and(is_apps));
    page.heading("Your code");
    if own.is_empty() {
        page.line("none of the frames is in the app's code");
    }
    for frame in own.iter().take(SHOWN_FRAMES) {
        page.line(&frame.function);
        if let Some(location) = &frame.location {
            write_location(page, location);
        }
    }
    page.group(&format!(
        "{} more frames: the standard library, tokio, hyper and phial",
        library.len() + own.len().saturating_sub(SHOWN_FRAMES)
    ));
    let rest: Vec<String> = own
        .iter()
        .skip(SHOWN_FRAMES)
        .chain(&library)
        .map(|frame| match &frame.location {
            Some(location) => format!("{}\n      at {location}", frame.function),
            None => frame.function.clone(),
        })
        .collect();
    page.pre(&rest.join("\n"));
    page.end_group();
}

/// The frames of a `std::backtrace::Backtrace` as it prints them
/// (`  3: function` then `at file:line:column`).
fn parse(backtrace: &str) -> Vec<Frame> {
    let mut frames: Vec<Frame> = Vec::new();
    for line in backtrace.lines() {
        let trimmed = line.trim();
        if let Some(location) = trimmed.strip_prefix("at ") {
            if let Some(frame) = frames.last_mut() {
                frame.location.get_or_insert_with(|| location.to_owned());
            }
        } else if let Some((number, function)) = trimmed.split_once(": ") {
            if number.bytes().all(|b| b.is_ascii_digit()) {
                frames.push(Frame {
                    function: readable(function),
                    location: None,
                });
            }
        }
    }
    frames
}

/// A handler's frame as its function's path (`app::views::index`), not
/// the generated `<app::views::index as phial::...::Endpoint>::__call::index`.
fn readable(function: &str) -> String {
    function
        .strip_prefix('<')
        .and_then(|rest| rest.split_once(" as phial::"))
        .filter(|(_, rest)| rest.contains(">::__call"))
        .map_or_else(|| function.to_owned(), |(handler, _)| handler.to_owned())
}

/// Whether `location` is in the app's code: not the standard library's,
/// not a dependency's (cargo's registry or git checkouts), not phial's.
fn is_apps(location: &str) -> bool {
    let file = file_of(location);
    if file.starts_with("/rustc/") || file.contains("/.cargo/") || file.contains("/rustlib/") {
        return false;
    }
    let phial = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    match find(file) {
        Some(path) => !path.starts_with(&phial),
        None => false,
    }
}

/// The file part of `file:line[:column]`.
fn file_of(location: &str) -> &str {
    let mut parts = location.rsplitn(3, ':');
    let (last, middle, rest) = (parts.next(), parts.next(), parts.next());
    let numeric = |text: Option<&str>| text.is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit()));
    match (numeric(last), numeric(middle), rest) {
        (true, true, Some(file)) => file,
        (true, _, _) => location.rsplit_once(':').map_or(location, |(file, _)| file),
        _ => location,
    }
}

/// The line number in `file:line[:column]`.
fn line_of(location: &str) -> Option<usize> {
    let file = file_of(location);
    let numbers = location.get(file.len() + 1..)?;
    numbers.split(':').next()?.parse().ok()
}

/// The file, found from the working directory or one of its parents (a
/// panic's location is relative to the workspace, and tests run in a
/// package's folder).
fn find(file: &str) -> Option<PathBuf> {
    let path = Path::new(file);
    if path.is_absolute() {
        return path.is_file().then(|| path.to_path_buf());
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .take(4)
        .map(|dir| dir.join(path))
        .find(|candidate| candidate.is_file())
        .and_then(|found| found.canonicalize().ok())
}

/// The lines around `location`'s line, and that line's number.
fn excerpt(location: &str) -> Option<(Vec<(usize, String)>, usize)> {
    let hit = line_of(location)?;
    let source = std::fs::read_to_string(find(file_of(location))?).ok()?;
    let first = hit.saturating_sub(CONTEXT).max(1);
    let lines = source
        .lines()
        .enumerate()
        .map(|(index, text)| (index + 1, text.to_owned()))
        .skip(first - 1)
        .take(hit + CONTEXT + 1 - first)
        .collect::<Vec<_>>();
    (!lines.is_empty()).then_some((lines, hit))
}

#[cfg(test)]
mod tests {
    use super::{file_of, line_of, parse};

    #[test]
    fn locations_split_into_file_and_line() {
        assert_eq!(file_of("src/main.rs:6:16"), "src/main.rs");
        assert_eq!(line_of("src/main.rs:6:16"), Some(6));
        assert_eq!(file_of("/a/b.rs:12"), "/a/b.rs");
        assert_eq!(line_of("/a/b.rs:12"), Some(12));
        assert_eq!(file_of("unknown"), "unknown");
        assert_eq!(line_of("unknown"), None);
    }

    #[test]
    fn handler_frames_read_as_the_handlers_path() {
        assert_eq!(
            super::readable("<app::views::index as phial::app::endpoint::Endpoint>::__call::index"),
            "app::views::index"
        );
        assert_eq!(
            super::readable("std::panicking::begin_panic"),
            "std::panicking::begin_panic"
        );
    }

    #[test]
    fn backtraces_parse_into_frames_with_locations() {
        let text = "   0: std::panicking::begin_panic\n             at /rustc/abc/library/std/src/panicking.rs:616:12\n   1: app::boom\n             at ./src/main.rs:6:5\n   2: main\n";
        let frames = parse(text);
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[1].function, "app::boom");
        assert_eq!(frames[1].location.as_deref(), Some("./src/main.rs:6:5"));
        assert!(frames[2].location.is_none());
    }
}
