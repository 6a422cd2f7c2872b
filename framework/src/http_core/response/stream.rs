//! Responses whose body is produced while it is sent: from a stream, or
//! from an iterator (Flask's generator responses).

use std::error::Error as StdError;

use bytes::Bytes;
use futures_util::Stream;
use http::StatusCode;

use super::{Body, Response, TEXT_HTML};

impl Response {
    /// A `200 OK` response (`text/html; charset=utf-8`, as Flask's
    /// default; change it with [`with_content_type`](Self::with_content_type))
    /// whose body is what `stream` yields, sent as it comes: chunked on
    /// HTTP/1.1, as data frames on HTTP/2. The next chunk is asked for
    /// only when the connection can take it, and the stream is dropped
    /// when the client goes away (or for a `HEAD` request, unpolled).
    ///
    /// An error from the stream ends the response early: the client sees
    /// it cut short (the connection closed without the last chunk, or the
    /// HTTP/2 stream reset), and the error is logged.
    ///
    /// ```
    /// use phial::prelude::*;
    /// use std::time::Duration;
    ///
    /// #[route("/countdown")]
    /// fn countdown() -> Response {
    ///     let ticks = futures_util::stream::unfold(3, |n| async move {
    ///         if n == 0 {
    ///             return None;
    ///         }
    ///         tokio::time::sleep(Duration::from_millis(10)).await;
    ///         Some((Ok::<_, std::io::Error>(format!("{n}\n")), n - 1))
    ///     });
    ///     Response::stream(ticks).with_content_type("text/plain; charset=utf-8")
    /// }
    /// ```
    pub fn stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<Box<dyn StdError + Send + Sync>> + 'static,
    {
        Self::from_parts(StatusCode::OK, Some(TEXT_HTML), Body::from_stream(stream))
    }

    /// A `200 OK` streamed response (as [`stream`](Self::stream)) sending
    /// each item of `iter` as it is produced: the nearest thing to a
    /// Flask view returning a generator.
    ///
    /// The iterator runs on the server's async threads, one item each time
    /// the connection can take more: its items must come quickly. For work
    /// that waits (a database, a file), use [`stream`](Self::stream) with
    /// an async stream instead.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[route("/large.csv")]
    /// fn generate_large_csv() -> Response {
    ///     Response::stream_iter((0..1_000_000).map(|n| format!("{n},{}\n", n * n)))
    ///         .with_content_type("text/csv")
    /// }
    /// ```
    pub fn stream_iter<I>(iter: I) -> Self
    where
        I: IntoIterator + Send + 'static,
        I::IntoIter: Send + 'static,
        I::Item: Into<Bytes> + 'static,
    {
        let items = iter.into_iter().map(Ok::<_, std::convert::Infallible>);
        Self::stream(futures_util::stream::iter(items))
    }
}
