//! What the server serves: a [`Service`] answers requests. The app is one.

use std::future::Future;
use std::net::SocketAddr;

use bytes::Bytes;

use super::Limits;
use crate::http_core::response::Body;

/// Something that answers requests: the server reads a request within the
/// service's [limits](Service::limits), has the service
/// [prepare](Service::prepare) it, keeps the prepared request in its own
/// future and has the service [answer](Service::answer) it by reference.
pub(crate) trait Service: Send + Sync + 'static {
    /// A request built from its parts and body, ready to be answered.
    type Prepared: Send;

    /// The limits and timeouts the server enforces for this service.
    fn limits(&self) -> &Limits;

    /// Builds the request the server read.
    fn prepare(
        &self,
        parts: http::request::Parts,
        body: Bytes,
        remote: SocketAddr,
    ) -> Self::Prepared;

    /// The response to a prepared request.
    fn answer<'a>(
        &'a self,
        prepared: &'a Self::Prepared,
    ) -> impl Future<Output = http::Response<Body>> + Send + 'a;
}
