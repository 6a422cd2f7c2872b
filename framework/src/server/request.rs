//! Reading a request within the limits: the `Host` rule, the body limit and
//! the body-read timeout. A body the service wants as it arrives (an upload
//! to spool) is handed over as a stream within the same limits
//! (`arriving.rs`). A refused request is answered with an error page and
//! logged, as any other.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::{Buf, Bytes};
use http::header::{CONNECTION, CONTENT_LENGTH, HOST};
use http::{HeaderValue, StatusCode, Version};
use http_body_util::{BodyExt, Limited};

use super::access_log::{access_log_started, log_access, Peer, Target};
use super::arriving::ArrivingBody;
use super::limits::Limits;
use super::service::Service;
use crate::http_core::response::{error_page, Body, Held};

/// Checks the request head, reads the body within the limits, then
/// dispatches; `in_flight` (what counts the connection's requests in
/// flight) is held until the response is ready, or until its body is sent
/// if it is streamed (an idle HTTP/2 connection is closed: one sending a
/// long stream is not idle). Hyper's service future itself, so no `async`
/// layer wraps it. The body is hyper's (`Incoming`) when phial serves;
/// any other when the app is a tower service.
pub(crate) fn serve_request<S: Service, G: Held, B: RequestBody>(
    app: Arc<S>,
    request: http::Request<B>,
    remote: Peer,
    in_flight: G,
) -> impl Future<Output = Result<http::Response<Body>, Infallible>> + Send {
    // Split before the future is made: an `async fn` would keep the whole
    // request, as its argument, beside the parts it is split into.
    let started = access_log_started();
    let (parts, body) = request.into_parts();
    async move {
        Ok(
            match read_body(&*app, &parts, body, remote.address()).await {
                Ok(Read::Whole(body)) => {
                    let prepared = app.prepare(parts, body, remote, started);
                    let mut response = app.answer(&prepared).await;
                    response.body_mut().hold(in_flight);
                    response
                }
                // Boxed whole, preparing and answering: only uploads take it.
                // Inline, it grew every request's future, which hyper allocates
                // once per connection (870 more bytes per idle connection in
                // bench/idle.sh).
                Ok(Read::Arriving(body)) => {
                    let mut response =
                        Box::pin(serve_arriving(&*app, parts, body, remote, started)).await;
                    response.body_mut().hold(in_flight);
                    response
                }
                Err(status) => refuse(&parts, &remote, started, status),
            },
        )
    }
}

/// A request body the server can read: hyper's, or (under another server)
/// any body hyper could serve.
pub(crate) trait RequestBody:
    http_body::Body<Data: Send, Error: Into<crate::BoxError>> + Send + 'static
{
}

impl<B> RequestBody for B where
    B: http_body::Body<Data: Send, Error: Into<crate::BoxError>> + Send + 'static
{
}

/// Prepares a request whose body arrives as the service reads it, and
/// answers it (or refuses it when reading the body fails).
async fn serve_arriving<S: Service, B: RequestBody>(
    app: &S,
    parts: http::request::Parts,
    body: B,
    remote: Peer,
    started: Option<Instant>,
) -> http::Response<Body> {
    // Boxed into one body type: the parser sees the same stream whichever
    // server read the request (`Bytes` data, moved out without a copy).
    let body = body
        .map_frame(|frame| frame.map_data(|mut data| data.copy_to_bytes(data.remaining())))
        .map_err(Into::into)
        .boxed_unsync();
    let body = ArrivingBody::new(app.limits(), body, remote.address());
    match app.prepare_arriving(parts, body, remote, started).await {
        Ok(prepared) => app.answer(&prepared).await,
        Err((parts, status)) => refuse(&parts, &remote, started, status),
    }
}

/// A request's body: read whole, or to hand over as it arrives.
enum Read<B> {
    Whole(Bytes),
    Arriving(B),
}

/// The body, read within the limits (or, if the service wants it so,
/// ready to read as it arrives); or the status that refuses the request
/// (each refusal logged with its reason).
async fn read_body<S: Service, B: RequestBody>(
    app: &S,
    parts: &http::request::Parts,
    body: B,
    remote: SocketAddr,
) -> Result<Read<B>, StatusCode> {
    let config = app.limits();
    // One pass over the headers for the two read here: a request holds a
    // handful, and each hash lookup costs as much as walking them.
    let mut hosts = 0;
    let mut content_length = None;
    for (name, value) in &parts.headers {
        if name == HOST {
            hosts += 1;
        } else if name == CONTENT_LENGTH && content_length.is_none() {
            content_length = Some(value);
        }
    }
    if parts.version == Version::HTTP_11 && hosts != 1 {
        tracing::info!("{remote}: 400, HTTP/1.1 request without exactly one Host header");
        return Err(StatusCode::BAD_REQUEST);
    }
    let declared = content_length.and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    // Refused before the body is read, so `Expect: 100-continue` gets no
    // `100 Continue`: hyper sends that on the body's first read.
    if declared.is_some_and(|length| length > config.max_body_size as u64) {
        tracing::info!(
            "{remote}: 413, Content-Length over the {} byte limit",
            config.max_body_size
        );
        return Err(StatusCode::PAYLOAD_TOO_LARGE);
    }
    if http_body::Body::is_end_stream(&body) {
        return Ok(Read::Whole(Bytes::new()));
    }
    if app.streams_body(parts, declared) {
        return Ok(Read::Arriving(body));
    }
    // Boxed: most requests have no body, and the reading future is large;
    // inline, it would be moved with the request future of every request.
    Box::pin(read_limited(config, body, remote))
        .await
        .map(Read::Whole)
}

/// The body, read within the size limit and the body-read timeout.
async fn read_limited<B: RequestBody>(
    config: &Limits,
    body: B,
    remote: SocketAddr,
) -> Result<Bytes, StatusCode> {
    let read = Limited::new(body, config.max_body_size).collect();
    match tokio::time::timeout(config.body_read_timeout, read).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            tracing::info!(
                "{remote}: 413, body over the {} byte limit",
                config.max_body_size
            );
            Err(StatusCode::PAYLOAD_TOO_LARGE)
        }
        Ok(Err(error)) => {
            tracing::info!("{remote}: 400, the body could not be read: {error}");
            Err(StatusCode::BAD_REQUEST)
        }
        Err(_) => {
            tracing::info!(
                "{remote}: 408, body not received within {:?}",
                config.body_read_timeout
            );
            Err(StatusCode::REQUEST_TIMEOUT)
        }
    }
}

/// An error page for a refused request, logged as any other request. Over
/// HTTP/1 it also closes the connection: after a refused request the rest
/// of what the client sends can't be trusted to be a new request. (HTTP/2
/// frames each request, and forbids the `Connection` header.)
fn refuse(
    parts: &http::request::Parts,
    remote: &Peer,
    started: Option<Instant>,
    status: StatusCode,
) -> http::Response<Body> {
    if let Some(started) = started {
        let head = (&parts.method, Target::Received(&parts.uri), parts.version);
        log_access(remote, head, status, started);
    }
    let mut response = error_page(status).into_http().unwrap_or_default();
    if parts.version < Version::HTTP_2 {
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
