//! The app in the tower ecosystem (feature `tower`): `App` is a
//! `tower::Service<http::Request<B>>` for any body hyper can serve, so any
//! hyper-based server (hyper-util, axum's `nest_service`) can serve it; and
//! [`App::layer`] wraps it in tower layers (tower-http's compression, CORS,
//! timeouts, ...) when phial serves it. Both go through the server's own
//! path (`server/request.rs`: the `Host` rule, the body limit and timeout)
//! into the app's `prepare`/`answer` (`dispatch.rs`). An app that uses
//! neither is served exactly as without the feature.

use std::convert::Infallible;
use std::fmt;
use std::future::{poll_fn, Future};
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::Either;
use hyper::body::Incoming;
use tokio::net::TcpListener;
use tower_layer::Layer;
use tower_service::Service;

use super::serve::{run_service, serve_service, serve_service_until};
use crate::http_core::response::{error_page, Body, Held};
use crate::server::{serve_request, Limits, Serve};
use crate::{App, BoxError, Error};

/// The client's address, as a request extension: what
/// [`request.remote_addr()`](crate::Request::remote_addr) reads when the
/// app is called as a tower `Service`. phial's server sets it; under
/// another server, add it with the peer's address (a request without it
/// reads as `0.0.0.0:0`).
///
/// ```
/// use phial::RemoteAddr;
///
/// let mut request = http::Request::new(String::new());
/// request.extensions_mut().insert(RemoteAddr("203.0.113.7:4711".parse().unwrap()));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RemoteAddr(pub SocketAddr);

/// What `remote_addr()` reads when no [`RemoteAddr`] came with the request.
const UNKNOWN_CLIENT: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0);

/// The app as a tower `Service`: the request's head is checked as phial's
/// server checks it (an HTTP/1.1 request needs exactly one `Host`), its
/// body read within the app's [body limit](App::max_body_size) and
/// body-read timeout, then the
/// request goes the way it goes when phial serves it (hooks, routing,
/// error pages, the access log). The response body is phial's
/// [`Body`](crate::Body), an `http_body::Body`.
///
/// Routes [`discover`](App::discover)ed and the start-up check are done by
/// [`into_service`](App::into_service): call it before handing the app to
/// another server. [Start-up](App::on_startup) and
/// [shutdown](App::on_shutdown) hooks run only when phial serves the app.
impl<B> Service<http::Request<B>> for App
where
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<http::Response<Body>, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        let remote = request
            .extensions()
            .get::<RemoteAddr>()
            .map_or(UNKNOWN_CLIENT, |remote| remote.0);
        let remote = crate::server::Peer::new(remote);
        let app = Arc::clone(&self.inner);
        // Under phial's server, through its layers: the server's count of
        // this request, which a streamed body holds and which ends it when
        // the server stops (as when no layers wrap the app).
        // Under another server: nothing to hold (a box of `()` allocates
        // nothing).
        let in_flight = request
            .extensions_mut()
            .remove::<InFlightSlot>()
            .and_then(InFlightSlot::take)
            .unwrap_or_else(|| Box::new(()));
        Box::pin(serve_request(app, request, remote, in_flight))
    }
}

impl App {
    /// The app, ready to be served as a tower `Service` by another server
    /// (hyper-util's, axum's `Router::nest_service`): the handlers
    /// [`discover`](Self::discover) asked for are registered and the
    /// start-up check is made.
    ///
    /// # Errors
    ///
    /// If a handler takes what the app doesn't provide (state never
    /// registered: [`Error::is_setup`]).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[get("/")]
    /// fn index() -> &'static str {
    ///     "old app"
    /// }
    ///
    /// let app = App::new().route(index).into_service()?;
    /// let router: axum::Router = axum::Router::new().nest_service("/old", app);
    /// # Ok::<(), phial::Error>(())
    /// ```
    pub fn into_service(self) -> Result<Self, Error> {
        let app = self.with_discovered();
        app.inner.check_start().map_err(Error::setup)?;
        Ok(app)
    }

    /// Wraps the app in a tower `layer` when phial serves it (tower-http's
    /// `CompressionLayer`, `CorsLayer`, `TimeoutLayer`, your own): Flask's
    /// `app.wsgi_app = Middleware(app.wsgi_app)`. Each
    /// [`Layered::layer`] wraps what is there, so the last one added sees
    /// the request first. The layers see the request as hyper read it
    /// (`http::Request<hyper::body::Incoming>`), before phial reads its
    /// body; phial's limits still apply inside.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use phial::prelude::*;
    /// use tower_http::timeout::TimeoutLayer;
    ///
    /// # #[tokio::main] async fn main() -> Result<(), phial::Error> {
    /// App::new()
    ///     .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(10)))
    ///     .run("127.0.0.1:5000")
    ///     .await
    /// # }
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn layer<L: Layer<App>>(self, layer: L) -> Layered<L::Service> {
        let app = self.with_discovered();
        Layered {
            service: layer.layer(app.clone()),
            app,
        }
    }
}

/// An app wrapped in tower layers ([`App::layer`]), served by phial with
/// [`run`](Self::run), [`serve`](Self::serve) or
/// [`serve_with_shutdown`](Self::serve_with_shutdown), as the app is.
#[must_use = "the app does nothing until it is run or served"]
pub struct Layered<S> {
    app: App,
    service: S,
}

impl<S> fmt::Debug for Layered<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Layered")
            .field("app", &self.app)
            .field("service", &std::any::type_name::<S>())
            .finish()
    }
}

impl<S> Layered<S> {
    /// Wraps what is there in one more `layer` (it sees the request
    /// before the layers added earlier).
    pub fn layer<L: Layer<S>>(self, layer: L) -> Layered<L::Service> {
        Layered {
            service: layer.layer(self.service),
            app: self.app,
        }
    }

    /// The app inside the layers.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The layered service, to hand to another server.
    pub fn into_service(self) -> S {
        self.service
    }

    /// The app and its layers as the server serves them.
    fn into_parts(self) -> (App, Arc<Stack<S>>) {
        let stack = Stack {
            limits: self.app.inner.limits.clone(),
            service: self.service,
        };
        (self.app, Arc::new(stack))
    }
}

impl<S, ResBody> Layered<S>
where
    S: Service<http::Request<Incoming>, Response = http::Response<ResBody>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    /// Serves the layered app on `addr`, as [`App::run`] serves an app.
    ///
    /// # Errors
    ///
    /// As [`App::run`].
    pub async fn run(self, addr: &str) -> Result<(), Error> {
        let (app, stack) = self.into_parts();
        run_service(app, stack, addr).await
    }

    /// Serves the layered app on `listener`, as [`App::serve`] serves an
    /// app.
    ///
    /// # Errors
    ///
    /// As [`App::serve`].
    pub async fn serve(self, listener: TcpListener) -> Result<(), Error> {
        let (app, stack) = self.into_parts();
        serve_service(app, stack, listener).await
    }

    /// Serves the layered app on `listener` until `signal` completes, as
    /// [`App::serve_with_shutdown`] serves an app.
    ///
    /// # Panics
    ///
    /// As [`App::serve_with_shutdown`].
    pub async fn serve_with_shutdown(
        self,
        listener: TcpListener,
        signal: impl Future<Output = ()> + Send,
    ) {
        let (app, stack) = self.into_parts();
        serve_service_until(app, stack, listener, Box::pin(signal)).await;
    }
}

/// The layers as the server sees them: the app's limits beside them.
struct Stack<S> {
    limits: Limits,
    service: S,
}

impl<S, ResBody> Serve for Stack<S>
where
    S: Service<http::Request<Incoming>, Response = http::Response<ResBody>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    type Body = Either<ResBody, Body>;

    fn limits(&self) -> &Limits {
        &self.limits
    }

    fn serve<G: Held>(
        self: Arc<Self>,
        mut request: http::Request<Incoming>,
        remote: crate::server::Peer,
        in_flight: G,
    ) -> impl Future<Output = Result<http::Response<Self::Body>, Infallible>> + Send + 'static {
        let in_flight = InFlightSlot::new(in_flight);
        let extensions = request.extensions_mut();
        extensions.insert(RemoteAddr(remote.address()));
        extensions.insert(in_flight.clone());
        let mut service = self.service.clone();
        async move {
            // Counted until the response is ready if no app took it (a
            // layer answered); else as long as the app's body holds it.
            let _unclaimed = in_flight;
            let ready = poll_fn(|cx| service.poll_ready(cx))
                .await
                .map_err(Into::into);
            let answered = match ready {
                Ok(()) => service.call(request).await.map_err(Into::into),
                Err(error) => Err(error),
            };
            Ok(match answered {
                Ok(response) => response.map(Either::Left),
                Err(error) => {
                    tracing::error!("{remote}: a layer around the app failed: {error}");
                    let page = error_page(http::StatusCode::INTERNAL_SERVER_ERROR);
                    page.into_http().unwrap_or_default().map(Either::Right)
                }
            })
        }
    }
}

/// The server's count of a request in flight, handed through the layers
/// to the app in a request extension (extensions must be `Clone`): the
/// app takes it, and its streamed body holds it, so a stream ends when
/// the server stops, as it does without layers.
#[derive(Clone)]
struct InFlightSlot(Arc<Mutex<Option<Box<dyn Held>>>>);

impl InFlightSlot {
    fn new(in_flight: impl Held) -> Self {
        Self(Arc::new(Mutex::new(Some(Box::new(in_flight)))))
    }

    /// The guard, to the first who asks (a layer that calls the app twice
    /// hands it to the first call).
    fn take(self) -> Option<Box<dyn Held>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}
