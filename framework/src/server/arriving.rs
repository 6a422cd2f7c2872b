//! A request body handed to the service as it arrives (an upload to spool
//! to disk), within the same limits as a body read whole: the size limit
//! (413) and the body-read deadline (408). Each refusal is logged with its
//! reason, as for a body read whole.

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use http::StatusCode;
use http_body::Body as _;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::Limited;
use tokio::time::Sleep;

use super::limits::{Limits, LONGEST_TIMEOUT};

/// The body of a request as it arrives, chunk by chunk: a stream that fails
/// with a [`BodyError`] once the body passes the size limit or the
/// body-read deadline, or the client goes away.
pub(crate) struct ArrivingBody {
    body: Limited<UnsyncBoxBody<Bytes, crate::BoxError>>,
    deadline: Pin<Box<Sleep>>,
    remote: SocketAddr,
    max_body_size: usize,
    timeout: Duration,
    done: bool,
}

impl ArrivingBody {
    /// `body`, within `limits`; the deadline starts now.
    pub(super) fn new(
        limits: &Limits,
        body: UnsyncBoxBody<Bytes, crate::BoxError>,
        remote: SocketAddr,
    ) -> Self {
        Self {
            body: Limited::new(body, limits.max_body_size),
            deadline: Box::pin(tokio::time::sleep(
                limits.body_read_timeout.min(LONGEST_TIMEOUT),
            )),
            remote,
            max_body_size: limits.max_body_size,
            timeout: limits.body_read_timeout,
            done: false,
        }
    }

    /// The whole body, read within the limits.
    pub(crate) async fn read_whole(self) -> Result<Bytes, BodyError> {
        use futures_util::TryStreamExt;
        let whole = self
            .try_fold(bytes::BytesMut::new(), |mut whole, chunk| {
                whole.extend_from_slice(&chunk);
                std::future::ready(Ok(whole))
            })
            .await?;
        Ok(whole.freeze())
    }

    /// Ends the stream with `status` (logged by the caller).
    fn fail(&mut self, status: StatusCode) -> Poll<Option<Result<Bytes, BodyError>>> {
        self.done = true;
        Poll::Ready(Some(Err(BodyError { status })))
    }
}

impl Stream for ArrivingBody {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            let remote = this.remote;
            tracing::info!("{remote}: 408, body not received within {:?}", this.timeout);
            return this.fail(StatusCode::REQUEST_TIMEOUT);
        }
        loop {
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) if !data.is_empty() => return Poll::Ready(Some(Ok(data))),
                    // Trailers, or an empty frame: nothing to hand over.
                    _ => continue,
                },
                Poll::Ready(Some(Err(error))) => {
                    let remote = this.remote;
                    if error.is::<http_body_util::LengthLimitError>() {
                        tracing::info!(
                            "{remote}: 413, body over the {} byte limit",
                            this.max_body_size
                        );
                        return this.fail(StatusCode::PAYLOAD_TOO_LARGE);
                    }
                    tracing::info!("{remote}: 400, the body could not be read: {error}");
                    return this.fail(StatusCode::BAD_REQUEST);
                }
            }
        }
    }
}

/// Why an [`ArrivingBody`] stopped: the status that refuses its request
/// (the reason is logged already).
#[derive(Debug)]
pub(crate) struct BodyError {
    status: StatusCode,
}

impl BodyError {
    /// The status that refuses the request.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the request body could not be read ({})", self.status)
    }
}

impl std::error::Error for BodyError {}
