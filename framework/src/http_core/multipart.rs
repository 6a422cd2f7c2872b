//! Multipart bodies (`multipart/form-data`): their fields, in
//! `request.form`, and their files, in `request.files`, as Flask has them,
//! each parsed when first read.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use futures_util::FutureExt;
use http::HeaderValue;

use crate::http_core::params::{Params, MAX_FORM_FIELDS};
use crate::http_core::spooled::SpooledFile;

/// An uploaded file from a `multipart/form-data` body, as Werkzeug's
/// `FileStorage`: held in memory, or, past the app's
/// [spool threshold](crate::App::spool_threshold), in a temporary file
/// written while the request streamed in and removed when the request
/// ends (when the last clone of its `FileStorage` is dropped).
#[derive(Clone, Debug)]
pub struct FileStorage {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    contents: Contents,
}

/// Where an uploaded file's bytes are.
#[derive(Clone, Debug)]
pub(crate) enum Contents {
    Memory(Bytes),
    Disk(Arc<SpooledFile>),
}

impl FileStorage {
    /// A file part named `name`.
    pub(crate) fn new(
        name: String,
        filename: Option<String>,
        content_type: Option<String>,
        contents: Contents,
    ) -> Self {
        Self {
            name,
            filename,
            content_type,
            contents,
        }
    }

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
    ///
    /// A file [spooled to disk](Self::path) is read from disk on the first
    /// call, blocking the thread, and then held in memory as long as the
    /// request: prefer [`save`](Self::save) for large files, or
    /// [`read`](Self::read) to read without blocking. If the spooled file
    /// can't be read (removed from under the app), this is empty and the
    /// error is logged.
    pub fn bytes(&self) -> &Bytes {
        match &self.contents {
            Contents::Memory(bytes) => bytes,
            Contents::Disk(file) => file.bytes(),
        }
    }

    /// The file's bytes, read from disk if it was spooled there.
    ///
    /// # Errors
    ///
    /// Whatever reading the spooled file fails with.
    pub async fn read(&self) -> std::io::Result<Bytes> {
        match &self.contents {
            Contents::Memory(bytes) => Ok(bytes.clone()),
            Contents::Disk(file) => file.read().await,
        }
    }

    /// The file's size in bytes.
    pub fn len(&self) -> usize {
        match &self.contents {
            Contents::Memory(bytes) => bytes.len(),
            Contents::Disk(file) => usize::try_from(file.len()).unwrap_or(usize::MAX),
        }
    }

    /// Whether the file is empty (a form submitted without choosing a file).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where the file is on disk, if it was larger than the app's
    /// [spool threshold](crate::App::spool_threshold): a temporary file,
    /// removed when the request ends; after a [`save`](Self::save), where
    /// it was saved. `None` for a file held in memory.
    pub fn path(&self) -> Option<PathBuf> {
        match &self.contents {
            Contents::Memory(_) => None,
            Contents::Disk(file) => Some(file.path()),
        }
    }

    /// Writes the file to `path`. A file spooled to disk is moved there on
    /// its first save (a rename, or a copy when that fails, across
    /// filesystems say), copied on later ones, and given the permissions a
    /// file written there would have; a file in memory is written.
    ///
    /// # Errors
    ///
    /// Whatever writing (or copying) the file fails with.
    pub async fn save(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        match &self.contents {
            Contents::Memory(bytes) => tokio::fs::write(path, bytes).await,
            Contents::Disk(file) => file.save(path.as_ref()).await,
        }
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

    /// Files already parsed (from a body parsed as it arrived).
    pub(crate) fn parsed(files: Vec<FileStorage>) -> Self {
        Self {
            source: None,
            parsed: OnceLock::from(files),
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
                (Some(filename), Want::Files) => files.push(FileStorage::new(
                    name,
                    Some(filename),
                    content_type,
                    Contents::Memory(bytes),
                )),
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
