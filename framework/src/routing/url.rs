//! Writing URLs: the runtime half of `url_for!` (and of `url_for` in
//! templates), percent-encoding what a path segment or query can't hold.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

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
