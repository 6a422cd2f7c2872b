//! Route patterns: Flask's variable rules (`/user/<int:id>`), parsed by one
//! piece of code for both the `#[route]` macro and the runtime router.
//!
//! This file depends on `std` alone: the macro crate includes it with
//! `#[path = ...]`, so a pattern the macro accepted is a pattern the router
//! understands, and both report the same errors.

use std::fmt;

/// How a route variable matches a path segment and what it converts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Converter {
    /// `<name>` or `<string:name>`: any non-empty text without a `/`.
    String,
    /// `<int:name>`: one or more ASCII digits.
    Int,
    /// `<float:name>`: digits, a dot, digits (`1.5`), as Werkzeug matches them.
    Float,
    /// `<path:name>`: like `string` but may contain `/`; only as the last segment.
    Path,
    /// `<uuid:name>`: a hyphenated UUID such as `67e55044-10b1-426f-9247-bb680e5fe0c8`.
    Uuid,
}

impl Converter {
    /// Every converter's name, as written in a pattern.
    pub const NAMES: &'static str = "`string`, `int`, `float`, `path`, `uuid`";

    /// The converter written as `name` in a pattern, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "string" => Self::String,
            "int" => Self::Int,
            "float" => Self::Float,
            "path" => Self::Path,
            "uuid" => Self::Uuid,
            _ => return None,
        })
    }

    /// The converter's name as written in a pattern.
    pub fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Int => "int",
            Self::Float => "float",
            Self::Path => "path",
            Self::Uuid => "uuid",
        }
    }

    /// Whether `text` (one path segment, or the rest of the path for `path`)
    /// is something this converter accepts.
    pub fn accepts(self, text: &str) -> bool {
        let bytes = text.as_bytes();
        match self {
            Self::String => !bytes.is_empty() && !bytes.contains(&b'/'),
            Self::Path => !bytes.is_empty(),
            Self::Int => !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit),
            Self::Float => match text.split_once('.') {
                Some((whole, fraction)) => Self::Int.accepts(whole) && Self::Int.accepts(fraction),
                None => false,
            },
            Self::Uuid => {
                bytes.len() == 36
                    && bytes.iter().enumerate().all(|(i, b)| match i {
                        8 | 13 | 18 | 23 => *b == b'-',
                        _ => b.is_ascii_hexdigit(),
                    })
            }
        }
    }

    /// Match priority among converters at the same position: a lower number
    /// is tried first, so `<int:id>` wins over `<name>` for `/42`.
    pub fn priority(self) -> u8 {
        match self {
            Self::Int | Self::Float | Self::Uuid => 0,
            Self::String => 1,
            Self::Path => 2,
        }
    }
}

/// One `/`-separated piece of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Literal text that must equal the request's segment.
    Static(&'a str),
    /// A route variable.
    Var {
        /// How the segment is matched and converted.
        converter: Converter,
        /// The variable's name, which is also the handler parameter's name.
        name: &'a str,
    },
}

/// A parsed route pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern<'a> {
    /// The segments between slashes, in order; empty for `/`.
    pub segments: Vec<Segment<'a>>,
    /// Whether the pattern ends with `/` (other than the root itself): Flask
    /// then redirects the slash-less URL here.
    pub trailing_slash: bool,
}

impl<'a> Pattern<'a> {
    /// The route variables in pattern order, with their converters.
    pub fn variables(&self) -> impl Iterator<Item = (&'a str, Converter)> + '_ {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Var { converter, name } => Some((*name, *converter)),
            Segment::Static(_) => None,
        })
    }
}

/// Why a pattern was refused, with a message that says what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    message: String,
}

impl PatternError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

/// Parses a Flask-style route pattern such as `/user/<int:id>/posts/`.
///
/// A variable fills a whole segment; `path` variables come last.
pub fn parse(pattern: &str) -> Result<Pattern<'_>, PatternError> {
    let Some(rest) = pattern.strip_prefix('/') else {
        return Err(PatternError::new(format!(
            "route pattern must start with `/`: write \"/{pattern}\""
        )));
    };
    let trailing_slash = !rest.is_empty() && rest.ends_with('/');
    let body = if trailing_slash {
        &rest[..rest.len() - 1]
    } else {
        rest
    };
    let mut segments = Vec::new();
    if body.is_empty() {
        return Ok(Pattern {
            segments,
            trailing_slash: false,
        });
    }
    for text in body.split('/') {
        if let Some(previous) = segments.last() {
            if matches!(
                previous,
                Segment::Var {
                    converter: Converter::Path,
                    ..
                }
            ) {
                let end = 1 + segments_len(body, segments.len());
                return Err(PatternError::new(format!(
                    "a `<path:...>` variable matches the rest of the URL, so it must be the \
                     last segment: write \"{}\"",
                    pattern.get(..end).unwrap_or(pattern)
                )));
            }
        }
        segments.push(parse_segment(text, pattern)?);
    }
    let mut seen: Vec<&str> = Vec::new();
    for segment in &segments {
        if let Segment::Var { name, .. } = segment {
            if seen.contains(name) {
                return Err(PatternError::new(format!(
                    "duplicate route variable `{name}`: each variable needs its own name, \
                     as it names a handler parameter; rename one of them"
                )));
            }
            seen.push(name);
        }
    }
    Ok(Pattern {
        segments,
        trailing_slash,
    })
}

/// The length of the first `count` segments of `body`, slashes between them included.
fn segments_len(body: &str, count: usize) -> usize {
    body.split('/')
        .take(count)
        .map(|segment| segment.len() + 1)
        .sum::<usize>()
        .saturating_sub(1)
}

/// Parses one segment of `pattern`: literal text or one `<converter:name>`.
fn parse_segment<'a>(text: &'a str, pattern: &str) -> Result<Segment<'a>, PatternError> {
    if text.is_empty() {
        let mut collapsed = pattern.to_owned();
        while collapsed.contains("//") {
            collapsed = collapsed.replace("//", "/");
        }
        return Err(PatternError::new(format!(
            "empty segment (`//`) in route pattern \"{pattern}\": write \"{collapsed}\""
        )));
    }
    if let Some(bad) = text
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || matches!(c, '?' | '#' | '%' | '\\'))
    {
        let instead = match bad {
            '?' | '#' => {
                "the query string and fragment are not part of a route: \
                          read query arguments with `request.args`"
            }
            '%' => {
                "routes match the decoded path: write the character itself, \
                    as in \"/caf\u{e9}\" for `/caf%C3%A9`"
            }
            '\\' => "separate segments with `/`",
            _ => "use `-` or `_` instead",
        };
        return Err(PatternError::new(format!(
            "route pattern \"{pattern}\" contains {bad:?}, which cannot appear in a URL path: \
             {instead}"
        )));
    }
    let Some(inner) = text.strip_prefix('<') else {
        if text.contains('<') || text.contains('>') {
            return Err(PatternError::new(format!(
                "a route variable must fill a whole segment: in \"{pattern}\", \
                 write `/<name>/` between slashes, not `{text}`"
            )));
        }
        return Ok(Segment::Static(text));
    };
    let Some(inner) = inner.strip_suffix('>') else {
        return Err(PatternError::new(if text.contains('>') {
            format!(
                "a route variable must fill a whole segment: in \"{pattern}\", \
                 write `/<name>/` between slashes, not `{text}`"
            )
        } else {
            format!(
                "unclosed `<` in route pattern \"{pattern}\": write `<name>` or `<converter:name>`"
            )
        }));
    };
    if inner.contains('<') || inner.contains('>') {
        return Err(PatternError::new(format!(
            "a route variable must fill a whole segment: in \"{pattern}\", \
             write `/<name>/` between slashes, not `{text}`"
        )));
    }
    let (converter, name) = match inner.split_once(':') {
        Some((converter_name, name)) => {
            if converter_name.contains('(') {
                return Err(PatternError::new(format!(
                    "converter arguments such as `{converter_name}` are not supported: \
                     write `<{}:{name}>`",
                    &converter_name[..converter_name.find('(').unwrap_or(0)]
                )));
            }
            let converter = Converter::from_name(converter_name).ok_or_else(|| {
                PatternError::new(format!(
                    "unknown converter `{converter_name}` in `<{inner}>`: expected one of {}",
                    Converter::NAMES
                ))
            })?;
            (converter, name)
        }
        None => (Converter::String, inner),
    };
    if !is_identifier(name) {
        return Err(PatternError::new(if name.is_empty() {
            format!("route variable `<{inner}>` has no name: write `<name>` or `<converter:name>`")
        } else {
            format!(
                "route variable name `{name}` is not a Rust identifier: \
                 it must name a handler parameter, like `<user_id>`"
            )
        }));
    }
    Ok(Segment::Var { converter, name })
}

/// Whether `name` can be a Rust parameter name (ASCII, not `_`).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first == '_' || first.is_ascii_alphabetic() => {
            name != "_" && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_static_and_variables() {
        let pattern = parse("/user/<int:id>/posts/<slug>/").unwrap();
        assert_eq!(
            pattern.segments,
            vec![
                Segment::Static("user"),
                Segment::Var {
                    converter: Converter::Int,
                    name: "id"
                },
                Segment::Static("posts"),
                Segment::Var {
                    converter: Converter::String,
                    name: "slug"
                },
            ]
        );
        assert!(pattern.trailing_slash);
        assert!(!parse("/").unwrap().trailing_slash);
        assert!(parse("/").unwrap().segments.is_empty());
    }

    #[test]
    fn refuses_malformed_patterns() {
        for (pattern, needle) in [
            ("user", "must start with `/`"),
            ("/<bogus:x>", "unknown converter `bogus`"),
            ("/<a>/<int:a>", "duplicate route variable `a`"),
            ("/<a", "unclosed `<`"),
            ("/a<b>", "whole segment"),
            ("/<path:p>/edit", "last segment: write \"/<path:p>\""),
            ("/a/<path:p>/b/c/", "write \"/a/<path:p>\""),
            ("/a//b", "write \"/a/b\""),
            ("/<int:>", "has no name"),
            ("/<1x>", "not a Rust identifier"),
            ("/a//b", "empty segment"),
            ("/a b", "cannot appear"),
            ("/<int(signed=True):x>", "not supported"),
        ] {
            let error = parse(pattern).unwrap_err().to_string();
            assert!(error.contains(needle), "{pattern}: {error}");
        }
    }

    #[test]
    fn converters_accept_what_werkzeug_accepts() {
        assert!(Converter::Int.accepts("042"));
        assert!(!Converter::Int.accepts("-1"));
        assert!(!Converter::Int.accepts(""));
        assert!(Converter::Float.accepts("1.5"));
        assert!(!Converter::Float.accepts("1"));
        assert!(!Converter::Float.accepts("1."));
        assert!(Converter::String.accepts("héllo"));
        assert!(!Converter::String.accepts("a/b"));
        assert!(Converter::Path.accepts("a/b"));
        assert!(Converter::Uuid.accepts("67e55044-10b1-426f-9247-bb680e5fe0c8"));
        assert!(!Converter::Uuid.accepts("67e55044-10b1-426f-9247-bb680e5fe0c"));
    }
}
