//! What the server serves: a [`Service`] answers requests. The app is one.

use std::future::Future;
use std::time::Instant;

use bytes::Bytes;
use http::StatusCode;

use super::{ArrivingBody, Limits, Peer};
use crate::http_core::response::Body;

/// Something that answers requests: the server reads a request within the
/// service's [limits](Service::limits), has the service
/// [prepare](Service::prepare) it, keeps the prepared request in its own
/// future and has the service [answer](Service::answer) it by reference.
///
/// A body the service [wants as it arrives](Service::streams_body) (an
/// upload to spool to disk) is not read whole: the service
/// [prepares](Service::prepare_arriving) the request from the body's
/// stream, within the same limits.
pub(crate) trait Service: Send + Sync + 'static {
    /// A request built from its parts and body, ready to be answered.
    type Prepared: Send;

    /// The limits and timeouts the server enforces for this service.
    fn limits(&self) -> &Limits;

    /// Builds the request the server read from `remote`; `started` is when
    /// it did, if the access log is on.
    fn prepare(
        &self,
        parts: http::request::Parts,
        body: Bytes,
        remote: Peer,
        started: Option<Instant>,
    ) -> Self::Prepared;

    /// Whether the body of a request with this head (and this
    /// `Content-Length`, if declared) is handed over as it arrives rather
    /// than read whole first. Asked only of requests with a body.
    fn streams_body(&self, parts: &http::request::Parts, declared: Option<u64>) -> bool;

    /// Builds a request whose body arrives as `body` is read; when reading
    /// it fails, the parts back and the status that refuses the request.
    /// By default the body is read whole, then [prepared](Self::prepare):
    /// what a service that never [streams bodies](Self::streams_body)
    /// needs.
    fn prepare_arriving(
        &self,
        parts: http::request::Parts,
        body: ArrivingBody,
        remote: Peer,
        started: Option<Instant>,
    ) -> impl Future<Output = Result<Self::Prepared, (http::request::Parts, StatusCode)>> + Send + '_
    {
        async move {
            match body.read_whole().await {
                Ok(whole) => Ok(self.prepare(parts, whole, remote, started)),
                Err(error) => Err((parts, error.status())),
            }
        }
    }

    /// The response to a prepared request.
    fn answer<'a>(
        &'a self,
        prepared: &'a Self::Prepared,
    ) -> impl Future<Output = http::Response<Body>> + Send + 'a;
}
