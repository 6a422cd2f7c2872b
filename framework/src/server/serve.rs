//! What a connection hands each request to: a [`Service`] (the app),
//! whose body the server reads first, or tower layers around one.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use hyper::body::Incoming;

use super::access_log::Peer;
use super::request::serve_request;
use super::service::Service;
use super::Limits;
use crate::http_core::response::{Body, Held};

/// What a connection hands each request to, whole: a [`Service`] (the
/// body read within its limits first, `request.rs`), or (feature `tower`)
/// tower layers around one, which reads the body itself.
pub(crate) trait Serve: Send + Sync + 'static {
    /// The response body.
    type Body: http_body::Body<Data = Bytes, Error: Into<crate::BoxError>> + Send + 'static;

    /// The limits and timeouts the server enforces.
    fn limits(&self) -> &Limits;

    /// The response to `request` from `remote`; `in_flight` is held until
    /// it is ready.
    fn serve<G: Held>(
        self: Arc<Self>,
        request: http::Request<Incoming>,
        remote: Peer,
        in_flight: G,
    ) -> impl Future<Output = Result<http::Response<Self::Body>, Infallible>> + Send + 'static;
}

impl<S: Service> Serve for S {
    type Body = Body;

    fn limits(&self) -> &Limits {
        Service::limits(self)
    }

    fn serve<G: Held>(
        self: Arc<Self>,
        request: http::Request<Incoming>,
        remote: Peer,
        in_flight: G,
    ) -> impl Future<Output = Result<http::Response<Body>, Infallible>> + Send + 'static {
        serve_request(self, request, remote, in_flight)
    }
}
