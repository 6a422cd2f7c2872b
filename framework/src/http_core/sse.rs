//! Server-Sent Events: a response that keeps sending [`Event`]s as they
//! happen, read in the browser with `new EventSource(url)`.
//!
//! [`Sse`] turns a stream of events into a `text/event-stream` response
//! with `Cache-Control: no-cache`, and sends a keep-alive comment when no
//! event was sent for a while (15 seconds unless told), so proxies keep
//! the connection open. A browser that reconnects sends the id of the
//! last event it saw: read it with [`last_event_id`] to resume.
//!
//! ```
//! use phial::prelude::*;
//! use phial::sse::{last_event_id, Event, Sse};
//! use std::time::Duration;
//!
//! #[route("/ticks")]
//! fn ticks(request: &Request) -> Sse {
//!     let start: u64 = last_event_id(request)
//!         .and_then(|id| id.parse().ok())
//!         .map_or(0, |id: u64| id + 1);
//!     let events = futures_util::stream::unfold(start, |n| async move {
//!         tokio::time::sleep(Duration::from_secs(1)).await;
//!         Some((Event::data(format!("tick {n}")).id(n.to_string()), n + 1))
//!     });
//!     Sse::new(events).keep_alive(Duration::from_secs(10))
//! }
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use http::header::{HeaderValue, CACHE_CONTROL};
use http::StatusCode;
use tokio::time::{Instant, Sleep};

use crate::http_core::response::{Body, IntoResponse, Response};
use crate::Request;

/// How long without an event before a keep-alive comment, by default.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The `Last-Event-ID` a reconnecting `EventSource` sends: the id of the
/// last event it received, to resume after it.
pub fn last_event_id(request: &Request) -> Option<&str> {
    request.header("last-event-id")
}

/// One Server-Sent Event: its data, with an optional type (`event:`),
/// id (`id:`) and reconnection delay (`retry:`).
///
/// ```
/// use phial::sse::Event;
///
/// let event = Event::data("line one\nline two").event("update").id("7");
/// assert_eq!(
///     event.to_string(),
///     "event: update\nid: 7\ndata: line one\ndata: line two\n\n"
/// );
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "an event does nothing until a stream yields it"]
pub struct Event {
    data: Option<String>,
    event: Option<String>,
    id: Option<String>,
    retry: Option<Duration>,
    comment: Option<String>,
}

impl Event {
    /// An event carrying `data` (sent as one `data:` line per line).
    pub fn data(data: impl Into<String>) -> Self {
        Self {
            data: Some(data.into()),
            ..Self::default()
        }
    }

    /// A comment: ignored by `EventSource`, it keeps the connection busy.
    pub fn comment(text: impl Into<String>) -> Self {
        Self {
            comment: Some(text.into()),
            ..Self::default()
        }
    }

    /// The event's type: the browser calls the listeners added with
    /// `addEventListener(name, ...)` instead of `onmessage`.
    ///
    /// # Panics
    ///
    /// If `name` holds a line break (it would end the field).
    pub fn event(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        assert!(
            !name.contains(['\n', '\r']),
            "an event type can't hold a line break: {name:?}"
        );
        self.event = Some(name);
        self
    }

    /// The event's id: a reconnecting browser sends the last one it saw
    /// as `Last-Event-ID` (see [`last_event_id`]).
    ///
    /// # Panics
    ///
    /// If `id` holds a line break or a NUL (the browser would ignore it).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        let id = id.into();
        assert!(
            !id.contains(['\n', '\r', '\0']),
            "an event id can't hold a line break or NUL: {id:?}"
        );
        self.id = Some(id);
        self
    }

    /// How long the browser waits before reconnecting when the connection
    /// is lost.
    pub fn retry(mut self, delay: Duration) -> Self {
        self.retry = Some(delay);
        self
    }
}

/// The event as sent: its fields, one per line, and a blank line.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(comment) = &self.comment {
            for line in lines(comment) {
                writeln!(f, ": {line}")?;
            }
        }
        if let Some(event) = &self.event {
            writeln!(f, "event: {event}")?;
        }
        if let Some(id) = &self.id {
            writeln!(f, "id: {id}")?;
        }
        if let Some(retry) = self.retry {
            writeln!(f, "retry: {}", retry.as_millis())?;
        }
        if let Some(data) = &self.data {
            for line in lines(data) {
                writeln!(f, "data: {line}")?;
            }
        }
        writeln!(f)
    }
}

/// A `text/event-stream` response sending each [`Event`] of a stream as
/// it comes, with keep-alive comments between (see the [module](self)).
/// The stream is dropped when the client goes away.
#[must_use = "an Sse does nothing until it is returned as a response"]
pub struct Sse {
    events: Pin<Box<dyn Stream<Item = Event> + Send>>,
    keep_alive: Option<Duration>,
}

impl Sse {
    /// Sends the events of `events`, with a keep-alive comment after 15
    /// seconds without one.
    pub fn new(events: impl Stream<Item = Event> + Send + 'static) -> Self {
        Self {
            events: Box::pin(events),
            keep_alive: Some(KEEP_ALIVE),
        }
    }

    /// Sends a keep-alive comment (`:`) after `interval` without an event.
    pub fn keep_alive(mut self, interval: Duration) -> Self {
        self.keep_alive = Some(interval);
        self
    }

    /// Sends no keep-alive comments.
    pub fn without_keep_alive(mut self) -> Self {
        self.keep_alive = None;
        self
    }
}

impl fmt::Debug for Sse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sse")
            .field("keep_alive", &self.keep_alive)
            .finish_non_exhaustive()
    }
}

impl IntoResponse for Sse {
    fn into_response(self) -> Response {
        let stream = EventStream {
            events: self.events,
            keep_alive: self
                .keep_alive
                .map(|every| (every, Box::pin(tokio::time::sleep(every)))),
        };
        let mut response = Response::from_parts(
            StatusCode::OK,
            Some(HeaderValue::from_static("text/event-stream")),
            Body::from_stream(stream),
        );
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        response
    }
}

/// The lines of a field's text: `EventSource` ends a line at CRLF, LF or CR.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split("\r\n").flat_map(|line| line.split(['\n', '\r']))
}

/// The events as bytes, with a keep-alive comment when none came for the
/// interval.
struct EventStream {
    events: Pin<Box<dyn Stream<Item = Event> + Send>>,
    keep_alive: Option<(Duration, Pin<Box<Sleep>>)>,
}

impl Stream for EventStream {
    type Item = Result<Bytes, std::convert::Infallible>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.events.as_mut().poll_next(cx) {
            Poll::Ready(Some(event)) => {
                if let Some((every, sleep)) = &mut this.keep_alive {
                    sleep.as_mut().reset(Instant::now() + *every);
                }
                return Poll::Ready(Some(Ok(Bytes::from(event.to_string()))));
            }
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        if let Some((every, sleep)) = &mut this.keep_alive {
            if sleep.as_mut().poll(cx).is_ready() {
                sleep.as_mut().reset(Instant::now() + *every);
                return Poll::Ready(Some(Ok(Bytes::from_static(b":\n\n"))));
            }
        }
        Poll::Pending
    }
}
