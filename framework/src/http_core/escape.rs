//! HTML escaping, for pages built by hand (and phial's own debug page).

/// Escapes `text` for HTML (`&`, `<`, `>`, `"`, `'` and `/`), as phial's
/// templates do (minijinja's escaping; Flask's `escape` leaves `/` as is):
/// use it when building HTML by hand from user input.
///
/// ```
/// use phial::escape;
///
/// assert_eq!(
///     escape("<script>alert('hi')</script>"),
///     "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;&#x2f;script&gt;"
/// );
/// ```
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            '/' => escaped.push_str("&#x2f;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Escapes `text` as MarkupSafe (Flask's `escape`) does: `&`, `<`, `>`,
/// `"` as `&#34;` and `'` as `&#39;`, leaving `/` alone. For text phial
/// writes where Flask's bytes are expected: a URL from `url_for` in a
/// template, an error page's description.
pub(crate) fn escape_markupsafe(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&#34;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_markupsafe};

    #[test]
    fn escape_markupsafe_writes_markupsafes_entities() {
        // markupsafe.escape("<a href=\"/x?a=1&b='2'\">") in Python.
        assert_eq!(
            escape_markupsafe("<a href=\"/x?a=1&b='2'\">"),
            "&lt;a href=&#34;/x?a=1&amp;b=&#39;2&#39;&#34;&gt;"
        );
    }

    #[test]
    fn escape_leaves_other_text_alone() {
        assert_eq!(
            escape("caf\u{e9} 1+1=2 \u{1f600}"),
            "caf\u{e9} 1+1=2 \u{1f600}"
        );
        assert_eq!(escape(""), "");
    }

    /// Pages built by hand escape as templates do.
    #[cfg(feature = "templates")]
    #[test]
    fn escape_matches_minijinja() {
        let text = "<a href=\"/x?a=1&b='2'\">caf\u{e9}</a> & more";
        assert_eq!(escape(text), minijinja::HtmlEscape(text).to_string());
    }
}
