//! The response body type: bytes held in memory (the common case, as cheap
//! as a `Bytes`), a stream, or a file read in bounded chunks.

use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;
use http_body::{Frame, SizeHint};
use sync_wrapper::SyncWrapper;

use super::file_body::FileBody;

/// The error a streamed body may end with (the stream's own, boxed).
pub(crate) type BoxError = Box<dyn StdError + Send + Sync>;

/// A boxed stream of chunks.
type BoxStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A response body: bytes held in memory, or chunks produced while the
/// response is being sent (a stream, or a file read from disk).
///
/// In-memory bytes are the common case and cost what a [`Bytes`] costs.
/// A streamed body is sent chunked on HTTP/1.1 and as data frames on
/// HTTP/2; its next chunk is asked for only when the connection can take
/// it, and the stream is dropped when the client goes away. Build one with
/// [`Body::from_stream`], or [`Response::stream`](crate::Response::stream).
///
/// ```
/// use phial::Body;
///
/// let body = Body::from("hello");
/// assert_eq!(body.as_bytes(), b"hello");
/// assert_eq!(body.exact_len(), Some(5));
/// ```
#[derive(Default)]
pub struct Body {
    kind: Kind,
}

enum Kind {
    /// Bytes in memory; emptied once sent.
    Full(Bytes),
    /// Everything else behind one box, so a `Body` stays as small as a
    /// `Bytes`.
    Other(Box<Other>),
}

struct Other {
    streamed: Streamed,
    /// Kept alive until the body is dropped (the server's count of the
    /// connection's requests in flight); it may end a stream early.
    held: Option<Box<dyn Held>>,
}

/// What a streamed body keeps alive while it is sent (the server's count
/// of the connection's requests in flight), and what may end it early.
pub(crate) trait Held: Send + Sync + 'static {
    /// Ready once a stream, which may never end by itself (server-sent
    /// events), should end now: the server is shutting down. Never, by
    /// default.
    fn poll_stop(&mut self, _cx: &mut Context<'_>) -> Poll<()> {
        Poll::Pending
    }
}

impl Held for () {}

/// A guard handed over without its type (through a tower request
/// extension, `app/tower.rs`) stops when it would have.
impl Held for Box<dyn Held> {
    fn poll_stop(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        (**self).poll_stop(cx)
    }
}

// Boxed whole in `Other`: a stream's box next to a file's state costs
// nothing per request.
#[allow(clippy::large_enum_variant)]
enum Streamed {
    Stream(SyncWrapper<BoxStream>),
    File(FileBody),
}

impl Default for Kind {
    fn default() -> Self {
        Self::Full(Bytes::new())
    }
}

impl Body {
    /// An empty body.
    pub fn empty() -> Self {
        Self::default()
    }

    /// A body made of what `stream` yields, sent as it comes. An error
    /// ends the response early: the connection is closed (HTTP/1.1,
    /// without the last chunk) or the stream reset (HTTP/2), so the client
    /// sees it was cut short; the error is logged. When phial's server
    /// shuts down, a stream still running ends there, as a complete
    /// response, instead of holding the shutdown up to its timeout.
    ///
    /// ```
    /// use phial::Body;
    ///
    /// let chunks = futures_util::stream::iter(["a", "b"].map(Ok::<_, std::io::Error>));
    /// let body = Body::from_stream(chunks);
    /// assert!(body.is_streamed());
    /// assert_eq!(body.exact_len(), None);
    /// ```
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<Box<dyn StdError + Send + Sync>> + 'static,
    {
        use futures_util::TryStreamExt;
        let stream: BoxStream = Box::pin(stream.map_ok(Into::into).map_err(Into::into));
        Self::other(Streamed::Stream(SyncWrapper::new(stream)))
    }

    pub(crate) fn from_file(file: FileBody) -> Self {
        Self::other(Streamed::File(file))
    }

    fn other(streamed: Streamed) -> Self {
        Self {
            kind: Kind::Other(Box::new(Other {
                streamed,
                held: None,
            })),
        }
    }

    /// Keeps `guard` alive as long as a streamed body (dropped at once for
    /// bytes in memory, already sent when the response is). A stream ends
    /// (cleanly: the client sees a complete response) once the guard says
    /// stop; a file is sent to its end.
    pub(crate) fn hold(&mut self, guard: impl Held) {
        if let Kind::Other(other) = &mut self.kind {
            other.held = Some(Box::new(guard));
        }
    }

    /// The file this body reads, if it is one (`send_file`'s).
    pub(crate) fn file_mut(&mut self) -> Option<&mut FileBody> {
        match &mut self.kind {
            Kind::Other(other) => match &mut other.streamed {
                Streamed::File(file) => Some(file),
                Streamed::Stream(_) => None,
            },
            Kind::Full(_) => None,
        }
    }

    /// The bytes of a body held in memory; empty for a streamed one (see
    /// [`is_streamed`](Self::is_streamed)).
    pub fn as_bytes(&self) -> &[u8] {
        match &self.kind {
            Kind::Full(bytes) => bytes,
            Kind::Other(_) => &[],
        }
    }

    /// The length in bytes of a body held in memory; `0` for a streamed
    /// one (see [`exact_len`](Self::exact_len)).
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Whether [`as_bytes`](Self::as_bytes) is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the body is produced while it is sent (a stream or a file)
    /// rather than held in memory.
    pub fn is_streamed(&self) -> bool {
        matches!(self.kind, Kind::Other(_))
    }

    /// The number of bytes the body will send, when known before it is
    /// sent: always for bytes in memory and files, never for a stream
    /// (sent without `Content-Length`).
    pub fn exact_len(&self) -> Option<u64> {
        match &self.kind {
            Kind::Full(bytes) => Some(bytes.len() as u64),
            Kind::Other(other) => match &other.streamed {
                Streamed::File(file) => Some(file.remaining()),
                Streamed::Stream(_) => None,
            },
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self {
            kind: Kind::Full(bytes),
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Full(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => write!(f, "Body({text:?})"),
                Err(_) => write!(f, "Body({} bytes)", bytes.len()),
            },
            Kind::Other(other) => match &other.streamed {
                Streamed::Stream(_) => f.write_str("Body(stream)"),
                Streamed::File(file) => write!(f, "Body(file, {} bytes)", file.remaining()),
            },
        }
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let other = match &mut self.kind {
            Kind::Full(bytes) => {
                return Poll::Ready(if bytes.is_empty() {
                    None
                } else {
                    Some(Ok(Frame::data(std::mem::take(bytes))))
                });
            }
            Kind::Other(other) => other,
        };
        if let (Streamed::Stream(_), Some(held)) = (&other.streamed, &mut other.held) {
            if held.poll_stop(cx).is_ready() {
                return Poll::Ready(None);
            }
        }
        let other = &mut other.streamed;
        loop {
            let polled = match other {
                Streamed::Stream(stream) => stream.get_mut().as_mut().poll_next(cx),
                Streamed::File(file) => file.poll_chunk(cx).map_err(BoxError::from),
            };
            return match polled {
                // An empty chunk would end a chunked HTTP/1.1 body early.
                Poll::Ready(Some(Ok(chunk))) if chunk.is_empty() => continue,
                Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(Frame::data(chunk)))),
                Poll::Ready(Some(Err(error))) => {
                    tracing::error!("the response body failed while being sent: {error}");
                    Poll::Ready(Some(Err(error)))
                }
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            };
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Full(bytes) => bytes.is_empty(),
            Kind::Other(other) => match &other.streamed {
                Streamed::File(file) => file.remaining() == 0,
                Streamed::Stream(_) => false,
            },
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self.exact_len() {
            Some(len) => SizeHint::with_exact(len),
            None => SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_as_small_as_its_bytes() {
        assert_eq!(std::mem::size_of::<Body>(), std::mem::size_of::<Bytes>());
    }
}
