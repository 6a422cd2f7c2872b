//! A debug page written twice at once: as HTML (styled inline, light and
//! dark, no external assets) and as plain text, for the page's copy-paste
//! view and the log line.

use std::fmt::Write;

use http::StatusCode;

use crate::http_core::escape::escape;
use crate::http_core::response::{Body, TEXT_HTML};
use crate::Response;

/// The stylesheet: small, inline (the page works offline and under a
/// CSP that allows inline styles), following the system's color scheme.
const STYLE: &str = "\
:root{color-scheme:light dark;--bg:#fff;--fg:#1d1d1f;--muted:#6e6e73;--box:#f5f5f7;--hit:#ffe3e3;--line:#d2d2d7}\
@media (prefers-color-scheme:dark){:root{--bg:#1c1c1e;--fg:#f5f5f7;--muted:#a1a1a6;--box:#2c2c2e;--hit:#5c1f1f;--line:#3a3a3c}}\
body{background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:62em;padding:0 1em}\
h1{font-size:1.4em;margin:.2em 0 .6em}h2{font-size:1.1em;border-bottom:1px solid var(--line);padding-bottom:.2em;margin-top:1.6em}\
pre,code,textarea{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}\
pre{background:var(--box);padding:.6em .8em;overflow:auto;border-radius:6px}\
.src span{display:block}.src .hit{background:var(--hit);font-weight:600}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.2em .6em;border-bottom:1px solid var(--line)}\
th{width:14em;font-weight:600}.none{color:var(--muted);font-style:italic}\
textarea{width:100%;height:24em;background:var(--box);color:var(--fg);border:1px solid var(--line)}\
details summary{cursor:pointer;color:var(--muted)}.warn{color:var(--muted)}";

/// The page being written.
#[derive(Default)]
pub(super) struct Page {
    html: String,
    text: String,
}

impl Page {
    /// The page's title: what went wrong.
    pub(super) fn title(&mut self, title: &str) {
        let _ = writeln!(self.html, "<h1>{}</h1>", escape(title));
        let _ = writeln!(self.text, "{title}\n");
    }

    /// A section's heading.
    pub(super) fn heading(&mut self, heading: &str) {
        let _ = writeln!(self.html, "<h2>{}</h2>", escape(heading));
        let _ = writeln!(self.text, "\n== {heading}");
    }

    /// A line of text.
    pub(super) fn line(&mut self, text: &str) {
        let _ = writeln!(self.html, "<p>{}</p>", escape(text));
        let _ = writeln!(self.text, "{text}");
    }

    /// Code or other preformatted text.
    pub(super) fn pre(&mut self, text: &str) {
        let _ = writeln!(self.html, "<pre>{}</pre>", escape(text));
        let _ = writeln!(self.text, "{text}");
    }

    /// Source lines (number, text), the one at `hit` marked.
    pub(super) fn source(&mut self, place: &str, lines: &[(usize, String)], hit: usize) {
        let _ = writeln!(
            self.html,
            "<p><code>{}</code></p><pre class=src>",
            escape(place)
        );
        let _ = writeln!(self.text, "  {place}");
        for (number, text) in lines {
            let mark = if *number == hit { ">" } else { " " };
            let class = if *number == hit { " class=hit" } else { "" };
            let _ = write!(
                self.html,
                "<span{class}>{} {number:>4} | {}</span>",
                escape(mark),
                escape(text)
            );
            let _ = writeln!(self.text, "  {mark} {number:>4} | {text}");
        }
        self.html.push_str("</pre>\n");
    }

    /// A table of names and values, or "none" when it is empty.
    pub(super) fn table<'a>(&mut self, rows: impl IntoIterator<Item = (&'a str, String)>) {
        let mut any = false;
        for (name, value) in rows {
            if !any {
                self.html.push_str("<table>\n");
                any = true;
            }
            let _ = writeln!(
                self.html,
                "<tr><th>{}</th><td>{}</td></tr>",
                escape(name),
                escape(&value)
            );
            let _ = writeln!(self.text, "  {name}: {value}");
        }
        if any {
            self.html.push_str("</table>\n");
        } else {
            self.html.push_str("<p class=none>none</p>\n");
            self.text.push_str("  none\n");
        }
    }

    /// Opens a collapsed group (`summary` shows), closed by [`end_group`].
    pub(super) fn group(&mut self, summary: &str) {
        let _ = writeln!(self.html, "<details><summary>{}</summary>", escape(summary));
        let _ = writeln!(self.text, "  ({summary})");
    }

    /// Closes the group [`group`] opened.
    pub(super) fn end_group(&mut self) {
        self.html.push_str("</details>\n");
    }

    /// The page as text (for the log line).
    pub(super) fn text(&self) -> &str {
        &self.text
    }

    /// The 500 response: the HTML, with the text view at the end.
    pub(super) fn finish(self) -> Response {
        let mut html = String::with_capacity(self.html.len() * 2 + STYLE.len() + 512);
        let _ = write!(
            html,
            "<!doctype html>\n<html lang=en>\n<meta charset=utf-8>\n\
             <title>500 Internal Server Error (debug)</title>\n<style>{STYLE}</style>\n"
        );
        html.push_str(&self.html);
        let _ = write!(
            html,
            "<h2>As text</h2>\n<details><summary>to copy into an issue or a chat</summary>\
             <textarea readonly>{}</textarea></details>\n\
             <p class=warn>Debug mode is on: never enable it in production. This page has \
             no console: nothing here runs code on the server.</p>\n",
            escape(&self.text)
        );
        Response::from_parts(
            StatusCode::INTERNAL_SERVER_ERROR,
            Some(TEXT_HTML),
            Body::from(html),
        )
    }
}
