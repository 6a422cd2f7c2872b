//! Writing URLs: the runtime half of `url_for!` (and of `url_for` in
//! templates), percent-encoding what a path segment or query can't hold.

use std::any::TypeId;
use std::collections::HashMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// What URL building needs of an app's routes: each endpoint's full
/// pattern by name (`auth.login` -> `/auth/login`, for `url_for` in
/// templates) and the prefix each handler was mounted under (for
/// `url_for!`, which knows the handler's own pattern at compile time).
#[derive(Clone, Debug, Default)]
pub(crate) struct Urls {
    patterns: HashMap<Box<str>, Box<str>>,
    prefixes: HashMap<TypeId, Box<str>>,
}

impl Urls {
    /// Records endpoint `name` (the handler of type `handler`, mounted
    /// under `prefix`) with its full `pattern`. A handler mounted twice
    /// keeps its first prefix for `url_for!`.
    pub(crate) fn insert(&mut self, name: &str, pattern: &str, handler: TypeId, prefix: &str) {
        self.patterns.insert(name.into(), pattern.into());
        if !prefix.is_empty() {
            self.prefixes
                .entry(handler)
                .or_insert_with(|| prefix.into());
        }
    }

    /// Records the app's static files at `url_path` as endpoint `static`
    /// (`url_for('static', filename='style.css')` in templates, as in
    /// Flask), or none.
    pub(crate) fn set_static(&mut self, url_path: Option<&str>) {
        match url_path {
            Some(url_path) => {
                let pattern = format!("{url_path}/<path:filename>");
                self.patterns.insert("static".into(), pattern.into());
            }
            None => {
                self.patterns.remove("static");
            }
        }
    }

    /// Records a blueprint's static files at `url_path` as endpoint
    /// `blueprint.static` (`url_for('auth.static', filename='auth.css')`).
    pub(crate) fn add_blueprint_static(&mut self, blueprint: &str, url_path: &str) {
        let pattern = format!("{url_path}/<path:filename>");
        self.patterns
            .insert(format!("{blueprint}.static").into(), pattern.into());
    }

    /// The full pattern of endpoint `name`.
    #[cfg_attr(not(feature = "templates"), allow(dead_code))]
    pub(crate) fn pattern(&self, name: &str) -> Option<&str> {
        self.patterns.get(name).map(|pattern| &**pattern)
    }

    /// The prefix `handler` is mounted under (empty if none).
    pub(crate) fn prefix(&self, handler: TypeId) -> &str {
        self.prefixes.get(&handler).map_or("", |prefix| &**prefix)
    }
}

/// Bytes a path segment must encode (RFC 3986 `pchar` keeps the rest), plus
/// `/` so a value can't add segments.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'/');

/// As [`SEGMENT`] but keeping `/`, for `<path:...>` variables.
const PATH: &AsciiSet = &SEGMENT.remove(b'/');

/// Appends `text` as one path segment.
pub fn push_segment(url: &mut String, text: &str) {
    url.extend(utf8_percent_encode(text, SEGMENT));
}

/// Appends `text` as the rest of a path (`/` kept).
pub fn push_path(url: &mut String, text: &str) {
    url.extend(utf8_percent_encode(text, PATH));
}

/// Appends `?name=value&...` (form-encoded, as Flask's `url_for` writes
/// extra arguments).
pub fn push_query(url: &mut String, pairs: &[(&str, String)]) {
    if pairs.is_empty() {
        return;
    }
    url.push('?');
    let start = url.len();
    let mut query = form_urlencoded::Serializer::for_suffix(std::mem::take(url), start);
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    *url = query.finish();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_what_would_change_the_url() {
        let mut url = String::from("/user/");
        push_segment(&mut url, "a b/c?d#e%f");
        assert_eq!(url, "/user/a%20b%2Fc%3Fd%23e%25f");
        let mut url = String::from("/files/");
        push_path(&mut url, "dir/ü.txt");
        assert_eq!(url, "/files/dir/%C3%BC.txt");
        push_query(
            &mut url,
            &[("q", "a&b c".to_owned()), ("page", "2".to_owned())],
        );
        assert_eq!(url, "/files/dir/%C3%BC.txt?q=a%26b+c&page=2");
    }
}
