//! The route pattern parser (framework/src/routing/pattern.rs, shared with
//! the macros) and the router's matcher: a pattern is refused with a
//! message or parses into sane segments; a path built from the pattern
//! matches with exactly the variables it was built from; any path that
//! matches yields spans inside it that the converters accept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phial::__fuzz::{match_route, RouteMatch};
use phial::pattern::{self, Converter, Pattern, Segment};

// The input is NUL-separated fields, so seeds are readable: the pattern,
// a request path, then values to fill the pattern's variables with.
fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let mut fields = input.split('\0');
    let text = fields.next().unwrap_or_default();
    let path = fields.next().unwrap_or_default();
    let fills: Vec<&str> = fields.collect();
    let pattern = match pattern::parse(text) {
        Ok(pattern) => pattern,
        Err(error) => {
            assert!(!error.to_string().is_empty());
            return;
        }
    };
    check_pattern(text, &pattern);
    if path.starts_with('/') {
        check_match(&pattern, path);
    }
    built_path_matches(&pattern, &fills);
});

fn check_pattern(text: &str, pattern: &Pattern<'_>) {
    assert!(text.starts_with('/'));
    let count = pattern.segments.len();
    let mut names = Vec::new();
    for (index, segment) in pattern.segments.iter().enumerate() {
        match segment {
            Segment::Static(s) => assert!(!s.is_empty() && !s.contains(['/', '<', '>'])),
            Segment::Var { converter, name } => {
                assert!(name.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic()));
                assert!(name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()));
                assert!(!names.contains(name), "duplicate {name} in {text:?}");
                names.push(*name);
                if *converter == Converter::Path {
                    assert_eq!(index + 1, count, "path not last in {text:?}");
                }
            }
        }
    }
}

fn check_match(pattern: &Pattern<'_>, path: &str) {
    if let RouteMatch::Match(spans) = match_route(pattern, path) {
        let converters: Vec<Converter> = pattern.variables().map(|(_, c)| c).collect();
        assert_eq!(spans.len(), converters.len(), "{pattern:?} {path:?}");
        for ((start, end), converter) in spans.into_iter().zip(converters) {
            let text = path
                .get(start..end)
                .unwrap_or_else(|| panic!("span {start}..{end} outside {path:?}"));
            assert!(converter.accepts(text), "{converter:?} took {text:?}");
        }
    }
}

/// Fills each variable with the next fill its converter accepts, builds
/// the path and checks that it matches with those very values.
fn built_path_matches(pattern: &Pattern<'_>, fills: &[&str]) {
    let mut fills = fills.iter();
    let mut path = String::new();
    let mut expected = Vec::new();
    for segment in &pattern.segments {
        path.push('/');
        match segment {
            Segment::Static(s) => path.push_str(s),
            Segment::Var { converter, .. } => {
                let Some(fill) = fills.find(|fill| converter.accepts(fill)) else {
                    return;
                };
                expected.push(*fill);
                path.push_str(fill);
            }
        }
    }
    if pattern.trailing_slash || path.is_empty() {
        path.push('/');
    }
    let found = match match_route(pattern, &path) {
        RouteMatch::Match(spans) => spans,
        other => panic!("{pattern:?} does not match {path:?} built from it: {other:?}"),
    };
    let values: Vec<&str> = found.iter().map(|&(s, e)| &path[s..e]).collect();
    assert_eq!(values, expected, "{pattern:?} on {path:?}");
}
