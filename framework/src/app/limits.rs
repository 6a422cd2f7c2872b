//! The app's limits and timeouts: the builder methods that set what the
//! server enforces (Flask's `MAX_CONTENT_LENGTH` and the rest).

use std::time::Duration;

use crate::app::config::Value;
use crate::App;

impl App {
    /// The largest request body accepted, in bytes (default 16 MiB). A
    /// larger one is answered `413 Payload Too Large` before the handler
    /// runs: before its body is read when its `Content-Length` says so, as
    /// soon as it passes the limit when it is sent chunked.
    ///
    /// Raising it for large uploads costs disk, not memory: a multipart
    /// file over the [spool threshold](Self::spool_threshold) goes to a
    /// temporary file while it arrives (with the `multipart` feature).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.inner_mut().limits.max_body_size = bytes;
        self.show_setting("MAX_CONTENT_LENGTH", Value::from_size(bytes));
        self
    }

    /// The largest request head (request line and headers) accepted over
    /// HTTP/1.1, in bytes (default 80 KiB); a larger one is answered `431`.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_header_size(mut self, bytes: usize) -> Self {
        self.inner_mut().limits.max_header_size = bytes;
        self.show_setting("MAX_HEADER_SIZE", Value::from_size(bytes));
        self
    }

    /// The most header fields an HTTP/1 request may have (default 100, as
    /// hyper's); a request with more is answered `431`. HTTP/2 requests are
    /// bounded by [`max_header_size`](Self::max_header_size) alone.
    ///
    /// ```
    /// let app = phial::App::new().max_headers(200);
    /// # drop(app);
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_headers(mut self, count: usize) -> Self {
        self.inner_mut().limits.max_headers = count;
        self.show_setting("MAX_HEADERS", Value::from_size(count));
        self
    }

    /// How long a client may take to send a request's headers, counted from
    /// the connection's start or the previous response (default 30 s). A
    /// client that connects and sends nothing is closed when it runs out, as
    /// is a keep-alive connection idle for that long, and an HTTP/2
    /// connection with no request in flight for that long (with `GOAWAY`).
    /// A client still sending its headers then is closed without an answer.
    ///
    /// It doesn't limit how long a handler may take.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().limits.header_read_timeout = timeout;
        self.show_setting("HEADER_READ_TIMEOUT", Value::from_seconds(timeout));
        self
    }

    /// The most query parameters (`?a=1&b=2` has two) a request may carry
    /// (default 1000, as Werkzeug's form-parts limit). A request with more
    /// is answered `400 Bad Request` before any hook or handler runs, and
    /// logged; counting stops at the limit, so a huge query costs no more
    /// than a short one to refuse.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_query_params(mut self, count: usize) -> Self {
        self.inner_mut().limits.max_query_params = count;
        self.show_setting("MAX_QUERY_PARAMS", Value::from_size(count));
        self
    }

    /// How long a client may take to send a whole request body (default
    /// 60 s), counted from the end of its headers; past it the request is
    /// answered `408 Request Timeout` and the connection closed. It is a
    /// deadline for the whole body, not for each read: a client dripping
    /// one byte a second is cut off at it all the same.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().limits.body_read_timeout = timeout;
        self.show_setting("BODY_READ_TIMEOUT", Value::from_seconds(timeout));
        self
    }

    /// How long a write to a client may make no progress (default 30 s):
    /// a client that stops reading a response (a large page, a download)
    /// is closed when it runs out, with the rest of the response unsent.
    /// Each write that gets through starts the clock again, so a slow but
    /// steady reader is served to the end.
    ///
    /// Over HTTP/2, flow control holds back a response the client doesn't
    /// read before the socket fills: once its handler has answered, such a
    /// connection is closed as idle (see
    /// [`header_read_timeout`](Self::header_read_timeout)).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().limits.write_timeout = timeout;
        self.show_setting("WRITE_TIMEOUT", Value::from_seconds(timeout));
        self
    }

    /// How long a graceful shutdown waits for in-flight requests before it
    /// closes their connections (default 30 s).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().limits.shutdown_timeout = timeout;
        self.show_setting("SHUTDOWN_TIMEOUT", Value::from_seconds(timeout));
        self
    }

    /// How much of a request's multipart files is held in memory, in bytes
    /// (default 500 KiB, as Werkzeug's): a `multipart/form-data` body
    /// longer than this (or sent chunked) is parsed as it arrives, and a
    /// file part that would take the request's files in memory past it
    /// goes to a temporary file in [`spool_dir`](Self::spool_dir) instead,
    /// so an upload is bounded by disk, not memory. The file is removed
    /// when the request ends, whatever happened (unless
    /// [`FileStorage::save`](crate::FileStorage::save) moved it, or the app
    /// kept a clone of its `FileStorage`). A smaller body is read whole and
    /// parsed on first use, as before; `0` spools every file part with a
    /// byte in it.
    ///
    /// A body parsed as it arrives is not kept: `request.body()` is empty,
    /// its fields are in `request.form` and its files in `request.files`.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[post("/video")]
    /// async fn video(request: &Request) -> Result<String, StatusCode> {
    ///     let file = request.files.get("video").ok_or(StatusCode::BAD_REQUEST)?;
    ///     // A move (a rename) when the file was spooled to the same disk.
    ///     file.save(std::env::temp_dir().join("video.mp4"))
    ///         .await
    ///         .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    ///     Ok(format!("{} bytes", file.len()))
    /// }
    ///
    /// let app = App::new()
    ///     .max_body_size(4 << 30)
    ///     .spool_threshold(1 << 20)
    ///     .route(video);
    /// # drop(app);
    /// ```
    #[cfg(feature = "multipart")]
    #[cfg_attr(docsrs, doc(cfg(feature = "multipart")))]
    #[must_use = "the app does nothing until it is run or served"]
    pub fn spool_threshold(mut self, bytes: usize) -> Self {
        self.inner_mut().uploads.threshold = bytes;
        self.show_setting("SPOOL_THRESHOLD", Value::from_size(bytes));
        self
    }

    /// The folder that uploads over the
    /// [spool threshold](Self::spool_threshold) are written to while they
    /// arrive (default: the system's temporary folder, `TMPDIR`), as files
    /// named `phial-upload-*`. On the same filesystem as where the app
    /// saves them, [`FileStorage::save`](crate::FileStorage::save) moves a
    /// file instead of copying it. It must exist when the app starts:
    /// serving an app whose spool folder is missing is a setup error
    /// ([`Error::is_setup`](crate::Error::is_setup)).
    ///
    /// ```
    /// let app = phial::App::new().spool_dir(std::env::temp_dir());
    /// # drop(app);
    /// ```
    #[cfg(feature = "multipart")]
    #[cfg_attr(docsrs, doc(cfg(feature = "multipart")))]
    #[must_use = "the app does nothing until it is run or served"]
    pub fn spool_dir(mut self, folder: impl Into<std::path::PathBuf>) -> Self {
        let folder = folder.into();
        self.show_setting("SPOOL_DIR", Value::from(folder.as_path()));
        self.inner_mut().uploads.dir = Some(folder);
        self
    }

    /// The longest a `multipart/form-data` field that is not a file may be
    /// (default 500,000 bytes, Flask's `MAX_FORM_MEMORY_SIZE`): such a
    /// field is held in memory, so a longer one is answered
    /// `413 Payload Too Large` (and logged) before the rest of the body is
    /// read. Files are not counted: they go to disk past the
    /// [spool threshold](Self::spool_threshold). A body that could hold a
    /// field this long is parsed as it arrives.
    ///
    /// ```
    /// // A form whose text area may hold 2 MB.
    /// let app = phial::App::new().max_form_memory_size(2_000_000);
    /// # drop(app);
    /// ```
    #[cfg(feature = "multipart")]
    #[cfg_attr(docsrs, doc(cfg(feature = "multipart")))]
    #[must_use = "the app does nothing until it is run or served"]
    pub fn max_form_memory_size(mut self, bytes: usize) -> Self {
        self.show_setting("MAX_FORM_MEMORY_SIZE", Value::from_size(bytes));
        self.inner_mut().uploads.max_form_memory = bytes;
        self
    }
}
