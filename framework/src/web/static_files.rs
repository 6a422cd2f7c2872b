//! Files from disk: the app's `static/` folder at `/static/<path:filename>`,
//! `send_file` and `send_from_directory`, with conditional requests. The
//! file is read while the response is sent (`http_core/response/file_body.rs`);
//! `Range` requests are answered in `ranges.rs`.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use http::header::{
    HeaderValue, ACCEPT_RANGES, CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, LAST_MODIFIED,
};
use http::{Method, StatusCode};

use crate::http_core::response::file_body::FileBody;
use crate::http_core::response::{error_page, Body};
use crate::{Request, Response};

/// Where the app serves static files from, and under which URL prefix.
#[derive(Clone, Debug)]
pub(crate) struct StaticFiles {
    /// The URL prefix, without a trailing slash (`/static`).
    pub(crate) url_path: String,
    pub(crate) folder: PathBuf,
}

impl StaticFiles {
    /// The default: `static/` in the working directory, at `/static`.
    pub(crate) fn default_config() -> Self {
        Self {
            url_path: "/static".to_owned(),
            folder: PathBuf::from("static"),
        }
    }

    /// The file name under the prefix if `path` is a static-file URL.
    pub(crate) fn filename<'p>(&self, path: &'p str) -> Option<&'p str> {
        path.strip_prefix(self.url_path.as_str())?
            .strip_prefix('/')
            .filter(|name| !name.is_empty())
    }
}

/// Joins `filename` (from a URL) onto `directory`, refusing anything that
/// could leave it: `..`, absolute paths, backslashes, drive prefixes, NUL.
/// Symlinks are checked after the file is opened (see [`send_from_directory`]).
pub fn safe_join(directory: &Path, filename: &str) -> Option<PathBuf> {
    if filename.is_empty()
        || filename.contains('\\')
        || filename.contains('\0')
        || filename.starts_with('/')
    {
        return None;
    }
    let mut joined = directory.to_path_buf();
    for component in Path::new(filename).components() {
        match component {
            Component::Normal(part) => joined.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(joined)
}

/// Sends `filename` from inside `directory`, as Flask's
/// `send_from_directory`: a name that would leave the directory (through
/// `..`, an absolute path, a backslash, or a symlink pointing outside) is
/// `404`, like a missing file.
///
/// ```no_run
/// use phial::prelude::*;
/// use phial::send_from_directory;
///
/// #[get("/uploads/<path:name>")]
/// async fn uploaded(name: &str) -> Response {
///     send_from_directory("uploads", name).await
/// }
/// ```
pub async fn send_from_directory(directory: impl AsRef<Path>, filename: &str) -> Response {
    let directory = directory.as_ref();
    let Some(path) = safe_join(directory, filename) else {
        tracing::info!(
            "refused a file name that would leave {}: {filename:?}",
            directory.display()
        );
        return error_page(StatusCode::NOT_FOUND);
    };
    let inside = match (
        tokio::fs::canonicalize(directory).await,
        tokio::fs::canonicalize(&path).await,
    ) {
        (Ok(root), Ok(resolved)) => resolved.starts_with(&root),
        _ => false,
    };
    if !inside {
        return error_page(StatusCode::NOT_FOUND);
    }
    send_file(&path).await
}

/// Sends the file at `path` with its `Content-Type` (guessed from the
/// extension), `ETag`, `Last-Modified`, `Cache-Control: no-cache` and
/// `Accept-Ranges: bytes`, as Flask's `send_file`; a request whose
/// `If-None-Match` or `If-Modified-Since` matches gets `304 Not Modified`.
/// A missing file or a directory is `404`.
///
/// The file is opened here and read while the response is sent, in chunks
/// of 64 KiB as the connection takes them: a file of any size costs the
/// same memory. A `Range` request gets `206 Partial Content` with the
/// range (several ranges as `multipart/byteranges`), or `416 Range Not
/// Satisfiable` when no range fits in the file; `If-Range` with the
/// file's `ETag` or `Last-Modified` makes the range conditional. A `HEAD`
/// request and a `304` never read the file.
///
/// The path is trusted: for a name that comes from a URL, use
/// [`send_from_directory`].
///
/// ```no_run
/// use phial::prelude::*;
///
/// #[get("/report")]
/// async fn report() -> Response {
///     phial::send_file("reports/latest.pdf").await
/// }
/// ```
pub async fn send_file(path: impl AsRef<Path>) -> Response {
    let path = path.as_ref();
    match open(path).await {
        Ok(response) => response,
        Err(error) => {
            if error.kind() != io::ErrorKind::NotFound {
                tracing::info!("could not send {}: {error}", path.display());
            }
            error_page(StatusCode::NOT_FOUND)
        }
    }
}

/// The response for the file at `path`: opened, its headers from its
/// metadata (read from the open file, so they describe what is sent), its
/// body not read yet.
async fn open(path: &Path) -> io::Result<Response> {
    let file = tokio::fs::File::open(path).await?;
    let metadata = file.metadata().await?;
    if !metadata.is_file() {
        return Err(io::Error::new(io::ErrorKind::NotFound, "not a file"));
    }
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let content_type =
        if mime.type_() == mime_guess::mime::TEXT && mime.get_param("charset").is_none() {
            format!("{mime}; charset=utf-8")
        } else {
            mime.to_string()
        };
    let mut response = Response::from_parts(
        StatusCode::OK,
        HeaderValue::try_from(content_type).ok(),
        Body::from_file(FileBody::new(file, metadata.len())),
    );
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(modified) = metadata.modified() {
        let seconds = modified
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let etag = format!("\"{seconds:x}-{:x}\"", metadata.len());
        if let Ok(etag) = HeaderValue::try_from(etag) {
            headers.insert(ETAG, etag);
        }
        if let Ok(date) = HeaderValue::try_from(httpdate::fmt_http_date(modified)) {
            headers.insert(LAST_MODIFIED, date);
        }
    }
    if !headers.contains_key(CONTENT_TYPE) {
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        );
        headers.insert(
            http::header::X_CONTENT_TYPE_OPTIONS,
            crate::http_core::response::NOSNIFF,
        );
    }
    Ok(response)
}

/// Turns a `200` with an `ETag` or `Last-Modified` into `304 Not Modified`
/// when the request's validators say the client's copy is current
/// (RFC 9110, 13.1.2 and 13.1.3; `If-None-Match` wins when both are sent);
/// else answers a `Range` request for a file (`ranges.rs`).
pub(crate) fn make_conditional(request: &Request, response: Response) -> Response {
    let headers = response.headers();
    // Asked of every response: one walk over its few header names costs
    // less than two hash lookups.
    if response.status() != StatusCode::OK
        || !matches!(*request.method(), Method::GET | Method::HEAD)
        || !headers
            .keys()
            .any(|name| name == ETAG || name == LAST_MODIFIED)
    {
        return response;
    }
    let not_modified = if let Some(if_none_match) = request.header(IF_NONE_MATCH) {
        headers
            .get(ETAG)
            .and_then(|etag| etag.to_str().ok())
            .is_some_and(|etag| etag_matches(if_none_match, etag))
    } else if let Some(since) = request.header(IF_MODIFIED_SINCE) {
        let modified = headers
            .get(LAST_MODIFIED)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| httpdate::parse_http_date(value).ok());
        match (modified, httpdate::parse_http_date(since)) {
            (Some(modified), Ok(since)) => modified <= since,
            _ => false,
        }
    } else {
        false
    };
    if !not_modified {
        return super::ranges::select_ranges(request, response);
    }
    let mut not_modified = Response::from_parts(StatusCode::NOT_MODIFIED, None, Body::empty());
    for name in [ETAG, LAST_MODIFIED, CACHE_CONTROL] {
        if let Some(value) = response.headers().get(&name) {
            not_modified.headers_mut().insert(name, value.clone());
        }
    }
    not_modified
}

/// Weak comparison, as `If-None-Match` uses: `W/"x"` matches `"x"`.
fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    let strip = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let etag = strip(etag);
    if_none_match
        .split(',')
        .any(|candidate| candidate.trim() == "*" || strip(candidate) == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_every_way_out() {
        let root = Path::new("/srv/static");
        assert_eq!(
            safe_join(root, "css/site.css"),
            Some(root.join("css/site.css"))
        );
        assert_eq!(safe_join(root, "./a.txt"), Some(root.join("a.txt")));
        for bad in [
            "../etc/passwd",
            "a/../../x",
            "/etc/passwd",
            "..\\x",
            "a\\b",
            "a\0b",
            "",
        ] {
            assert_eq!(safe_join(root, bad), None, "{bad:?}");
        }
    }

    #[test]
    fn etags_compare_weakly() {
        assert!(etag_matches("\"a\"", "\"a\""));
        assert!(etag_matches("W/\"a\", \"b\"", "\"a\""));
        assert!(etag_matches("*", "\"z\""));
        assert!(!etag_matches("\"b\"", "\"a\""));
    }
}
