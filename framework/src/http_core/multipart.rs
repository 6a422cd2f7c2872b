//! Multipart bodies (`multipart/form-data`): their fields, in
//! `request.form`, and their files, in `request.files`, as Flask has them,
//! each parsed when first read.

use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use bytes::Bytes;
use futures_util::FutureExt;
use http::HeaderValue;

use crate::http_core::params::{Params, MAX_FORM_FIELDS};

/// An uploaded file from a `multipart/form-data` body, as Werkzeug's
/// `FileStorage`.
#[derive(Clone, Debug)]
pub struct FileStorage {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    bytes: Bytes,
}

impl FileStorage {
    /// The form field's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file name the client gave, if any. Never trust it as a path: pass
    /// it through [`secure_filename`] first.
    pub fn filename(&self) -> Option<&str> {
        self.filename.as_deref()
    }

    /// The content type the client gave, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file's size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file is empty (a form submitted without choosing a file).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Writes the file to `path`.
    ///
    /// # Errors
    ///
    /// Whatever writing the file fails with.
    pub async fn save(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        tokio::fs::write(path, &self.bytes).await
    }
}

/// The files of a `multipart/form-data` body, by field name.
///
/// ```
/// use phial::prelude::*;
/// use phial::secure_filename;
///
/// #[post("/upload")]
/// async fn upload(request: &Request) -> Result<String, StatusCode> {
///     let file = request.files.get("file").ok_or(StatusCode::BAD_REQUEST)?;
///     let name = secure_filename(file.filename().unwrap_or("upload"));
///     file.save(std::env::temp_dir().join(&name))
///         .await
///         .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
///     Ok(format!("saved {name}"))
/// }
/// ```
#[derive(Clone, Default)]
pub struct Files {
    /// The `Content-Type` (with its boundary) and the body, if multipart.
    source: Option<(HeaderValue, Bytes)>,
    parsed: OnceLock<Vec<FileStorage>>,
}

impl Files {
    /// The files of a multipart body, parsed on first use.
    pub(crate) fn lazy(content_type: HeaderValue, body: Bytes) -> Self {
        Self {
            source: Some((content_type, body)),
            parsed: OnceLock::new(),
        }
    }

    fn files(&self) -> &[FileStorage] {
        self.parsed.get_or_init(|| match &self.source {
            Some((content_type, body)) => read_or_log(content_type, body, Want::Files).1,
            None => Vec::new(),
        })
    }

    /// The first file sent in field `name`.
    pub fn get(&self, name: &str) -> Option<&FileStorage> {
        self.files().iter().find(|file| file.name == name)
    }

    /// Every file sent in field `name`, in order (`<input type=file multiple>`).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a FileStorage> + 'a {
        self.files().iter().filter(move |file| file.name == name)
    }

    /// Whether a file was sent in field `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every file, in order.
    pub fn iter(&self) -> impl Iterator<Item = &FileStorage> {
        self.files().iter()
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files().len()
    }

    /// Whether no file was sent.
    pub fn is_empty(&self) -> bool {
        self.files().is_empty()
    }
}

impl fmt::Debug for Files {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.files()).finish()
    }
}

/// The fields of a multipart body (for `request.form`).
pub(crate) fn fields(content_type: &HeaderValue, body: &Bytes) -> Params {
    read_or_log(content_type, body, Want::Fields).0
}

/// Which parts of a multipart body to keep: `request.form` and
/// `request.files` each parse the body when first read, keeping their own.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Fields,
    Files,
}

/// The wanted parts of a multipart body; none (and a log line) when it is
/// malformed, as Werkzeug reads it.
fn read_or_log(content_type: &HeaderValue, body: &Bytes, want: Want) -> (Params, Vec<FileStorage>) {
    let content_type = content_type.to_str().unwrap_or("");
    read(content_type, body.clone(), want).unwrap_or_else(|error| {
        tracing::info!("{error}: request.form and request.files read it as empty");
        (Params::new(), Vec::new())
    })
}

/// The wanted parts of a `multipart/form-data` body (at most
/// [`MAX_FORM_FIELDS`] parts); an error when it is malformed.
fn read(
    content_type: &str,
    body: Bytes,
    want: Want,
) -> Result<(Params, Vec<FileStorage>), crate::Error> {
    let malformed = || crate::Error::bad_request("the multipart/form-data body is malformed");
    let boundary = multer::parse_boundary(content_type).map_err(|_| malformed())?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let parse = async move {
        let mut fields = Params::new();
        let mut files = Vec::new();
        let mut count = 0;
        while let Some(field) = multipart.next_field().await? {
            count += 1;
            if count > MAX_FORM_FIELDS {
                break;
            }
            let name = field.name().unwrap_or_default().to_owned();
            let filename = field.file_name().map(str::to_owned);
            // The other kind's parts are still read through, so that a
            // malformed body reads as empty for both.
            let content_type = field.content_type().map(ToString::to_string);
            let bytes = field.bytes().await?;
            match (filename, want) {
                (Some(filename), Want::Files) => files.push(FileStorage {
                    name,
                    filename: Some(filename),
                    content_type,
                    bytes,
                }),
                (None, Want::Fields) => {
                    fields.push_owned(name, String::from_utf8_lossy(&bytes).into_owned());
                }
                _ => {}
            }
        }
        Ok::<_, multer::Error>((fields, files))
    };
    // The whole body is in memory, so the parser never waits: one poll
    // finishes it. `None` would mean it waited, which can't happen here.
    match parse.now_or_never() {
        Some(Ok(parsed)) => Ok(parsed),
        Some(Err(_)) | None => Err(malformed()),
    }
}

/// Makes a client-supplied file name safe to use as a file name, as
/// Werkzeug's `secure_filename`: ASCII only (accents are folded), no path
/// separators, no leading dots, spaces as `_`, Windows device names
/// prefixed with `_`. May return an empty string: choose a name then.
///
/// ```
/// use phial::secure_filename;
///
/// assert_eq!(secure_filename("My cool movie.mov"), "My_cool_movie.mov");
/// assert_eq!(secure_filename("../../../etc/passwd"), "etc_passwd");
/// assert_eq!(secure_filename("i contain cool \u{fc}ml\u{e4}uts.txt"), "i_contain_cool_umlauts.txt");
/// ```
pub fn secure_filename(filename: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let ascii: String = filename
        .nfkd()
        .filter(char::is_ascii)
        .map(|c| if c == '/' || c == '\\' { ' ' } else { c })
        .collect();
    let joined = ascii.split_whitespace().collect::<Vec<_>>().join("_");
    let kept: String = joined
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .collect();
    let name = kept.trim_matches(|c| c == '.' || c == '_').to_owned();
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    const DEVICES: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    if DEVICES.contains(&stem.as_str()) {
        format!("_{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_filename_matches_werkzeug() {
        for (input, expected) in [
            ("My cool movie.mov", "My_cool_movie.mov"),
            ("../../../etc/passwd", "etc_passwd"),
            (
                "i contain cool \u{fc}ml\u{e4}uts.txt",
                "i_contain_cool_umlauts.txt",
            ),
            ("..\\..\\windows\\system32", "windows_system32"),
            ("__filename__", "filename"),
            ("foo$&^*)bar", "foobar"),
            ("con.txt", "_con.txt"),
            ("\u{65e5}\u{672c}.txt", "txt"),
            ("...", ""),
        ] {
            assert_eq!(secure_filename(input), expected, "{input:?}");
        }
    }
}
