//! HTML escaping as MarkupSafe (Flask's `escape`, Jinja's autoescape) does
//! it: for pages built by hand, phial's own pages and its templates.

use std::fmt;

/// Escapes `text` for HTML as Flask's `escape` (MarkupSafe) does: `&`,
/// `<`, `>`, `"` as `&#34;` and `'` as `&#39;`, leaving `/` alone. phial's
/// templates escape values the same way, so a page shows the bytes
/// Flask's would. Use it when building HTML by hand from user input.
///
/// ```
/// use phial::escape;
///
/// assert_eq!(
///     escape("<script>alert('hi')</script>"),
///     "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt;"
/// );
/// ```
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let _ = write_escaped(&mut escaped, text);
    escaped
}

/// Writes `text` to `out` escaped as [`escape`] does, a run of plain
/// characters at a time.
pub(crate) fn write_escaped(out: &mut impl fmt::Write, text: &str) -> fmt::Result {
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&#34;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[plain..at])?;
        out.write_str(entity)?;
        plain = at + 1;
    }
    out.write_str(&text[plain..])
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_writes_markupsafes_entities() {
        // markupsafe.escape("<a href=\"/x?a=1&b='2'\">") in Python.
        assert_eq!(
            escape("<a href=\"/x?a=1&b='2'\">"),
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
        assert_eq!(escape("\u{e9}<\u{e9}"), "\u{e9}&lt;\u{e9}");
    }
}
