//! The HTTP server: accepting connections, HTTP/1.1 and HTTP/2 (cleartext),
//! request limits, graceful shutdown. It knows nothing of the app: it
//! serves a [`Service`], something that answers requests.

mod accept;
mod access_log;
mod arriving;
mod closing;
mod connection;
mod head_timer;
mod inherited;
mod limits;
#[cfg(feature = "logging")]
mod log_line;
#[cfg(feature = "logging")]
mod log_writer;
mod logging;
mod request;
mod serve;
mod service;
mod signals;
mod sniff;
mod watched;
mod when_woken;

pub(crate) use accept::serve;
#[cfg(feature = "test-client")]
pub(crate) use access_log::access_log_started;
pub(crate) use access_log::{log_access, Peer, Target};
pub(crate) use arriving::ArrivingBody;
#[cfg(feature = "multipart")]
pub(crate) use arriving::BodyError;
pub(crate) use inherited::inherited_listener;
pub(crate) use limits::Limits;
pub(crate) use logging::{flush_log, init_logging};
#[cfg(feature = "tower")]
pub(crate) use request::serve_request;
pub(crate) use serve::Serve;
pub(crate) use service::Service;
pub(crate) use signals::ShutdownSignals;
