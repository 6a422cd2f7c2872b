//! A request's way through the app and back: built from what the server
//! read ([`Prepared`], the app's `Service`), answered (`handling.rs`,
//! `respond.rs`), then the session cookie, `Vary`, the `Set-Cookie`
//! headers, `Content-Length` and the access-log line. Shared by the server
//! and the test client.

use std::future::Future;
use std::pin::pin;
use std::time::Instant;

use bytes::Bytes;
#[cfg(feature = "multipart")]
use http::header::CONTENT_TYPE;
use http::header::{HeaderValue, CONTENT_LENGTH, VARY};
use http::{Method, StatusCode};

use super::handling::answer;

use crate::app::application::AppInner;
use crate::http_core::response::{error_page, Body};
use crate::server::{log_access, Peer, Target};
use crate::web::sessions::Outgoing;
use crate::{Request, Response};

/// Answers one request whose body has been read (the test client's way in;
/// the server builds a [`Prepared`] itself). A body the server would hand
/// over as it arrives (an upload to spool) arrives the same way, in chunks.
#[cfg(feature = "test-client")]
pub(crate) async fn handle(
    app: &AppInner,
    parts: http::request::Parts,
    body: Bytes,
    remote_addr: std::net::SocketAddr,
) -> http::Response<Body> {
    use crate::server::access_log_started;
    #[cfg(feature = "multipart")]
    use crate::server::Service as _;
    let remote = Peer::new(remote_addr);
    let started = access_log_started();
    #[cfg(feature = "multipart")]
    if !body.is_empty() && app.streams_body(&parts, Some(body.len() as u64)) {
        // What a socket would bring: the body in pieces.
        const PIECE: usize = 64 * 1024;
        let pieces = (0..body.len()).step_by(PIECE).map(move |start| {
            let piece = body.slice(start..body.len().min(start + PIECE));
            Ok::<_, std::convert::Infallible>(piece)
        });
        let stream = futures_util::stream::iter(pieces);
        return match Prepared::arriving(app, parts, stream, remote, started).await {
            Ok(prepared) => prepared.answer(app).await,
            Err((_, status)) => error_page(status).into_http().unwrap_or_default(),
        };
    }
    Prepared::new(app, parts, body, remote, started)
        .answer(app)
        .await
}

/// A request built from its parts and body, with what its access-log line
/// and a HEAD response need, ready to be answered.
///
/// The server keeps it in its own future and [`answer`](Self::answer)
/// borrows it: an `async fn` taking the parts would hold them, as its
/// argument, beside the request made of them, in a future moved whole.
pub(crate) struct Prepared {
    /// The request, or why it is a bad one and its parts (for the access
    /// log).
    request: Result<Request, Box<(crate::Error, http::request::Parts)>>,
    /// When the request started, only when the access log is on (the
    /// line's method, target and version are read from the request).
    started: Option<Instant>,
    head_request: bool,
    remote: Peer,
}

impl Prepared {
    /// Builds the request (a query over the app's limit makes it a bad one).
    pub(crate) fn new(
        app: &AppInner,
        parts: http::request::Parts,
        body: Bytes,
        remote: Peer,
        started: Option<Instant>,
    ) -> Self {
        let head_request = parts.method == Method::HEAD;
        let mut request = Request::new(
            parts,
            body,
            remote.address(),
            app.limits.max_query_params,
            #[cfg(feature = "sessions")]
            app.sessions.clone(),
        );
        // Once, before any hook runs; nothing to do unless configured.
        if let (Some(fix), Ok(request)) = (&app.proxy_fix, &mut request) {
            request.apply_proxy_fix(fix);
        }
        Self {
            request,
            started,
            head_request,
            remote,
        }
    }

    /// Builds the request, then receives its multipart body as it arrives
    /// (spooling large files to disk); a bad request's body is not read.
    /// When reading the body fails: the parts back and the status that
    /// refuses the request.
    #[cfg(feature = "multipart")]
    pub(crate) async fn arriving<S, E>(
        app: &AppInner,
        parts: http::request::Parts,
        body: S,
        remote: Peer,
        started: Option<Instant>,
    ) -> Result<Self, (http::request::Parts, StatusCode)>
    where
        S: futures_util::Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        use crate::http_core::upload::{receive, UploadError};
        let content_type = parts.headers.get(CONTENT_TYPE).cloned();
        let mut prepared = Self::new(app, parts, Bytes::new(), remote, started);
        let (Ok(request), Some(content_type)) = (&mut prepared.request, content_type) else {
            return Ok(prepared);
        };
        let failed = match receive(&content_type, body, &app.uploads).await {
            Ok(upload) => {
                request.set_upload(upload);
                return Ok(prepared);
            }
            Err(UploadError::Read(error)) => error
                .downcast_ref::<crate::server::BodyError>()
                .map_or(StatusCode::BAD_REQUEST, crate::server::BodyError::status),
            Err(UploadError::FieldTooLarge(name)) => {
                tracing::info!(
                    "{remote}: 413, form field {name:?} over the {} byte MAX_FORM_MEMORY_SIZE",
                    app.uploads.max_form_memory
                );
                StatusCode::PAYLOAD_TOO_LARGE
            }
            Err(UploadError::Disk(error)) => {
                tracing::error!("{remote}: 500, an upload could not be spooled to disk: {error}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        Err((head_of(request), failed))
    }

    /// The response: the app's, or 400 for a bad request.
    pub(crate) async fn answer(&self, app: &AppInner) -> http::Response<Body> {
        let remote = &self.remote;
        let response = match &self.request {
            Ok(request) => {
                let mut handling = pin!(answer(app, request));
                // What templates and `url_for!` reach (see `current`).
                let current = crate::web::current::Current {
                    request,
                    urls: &app.urls,
                    #[cfg(feature = "templates")]
                    more: &*app.templates,
                    #[cfg(not(feature = "templates"))]
                    more: (),
                };
                let mut response = crate::web::current::within(current, handling.as_mut()).await;
                #[cfg(feature = "sessions")]
                let session = save_session(request, &mut response).await;
                #[cfg(not(feature = "sessions"))]
                let session = Outgoing::default();
                let read_cookies = request.cookies.was_read();
                after_session(&mut response, session, read_cookies);
                // In debug mode the cookie explainer (below) says it, per cookie.
                if !app.debug {
                    super::proxy::warn_if_secure_cookie_over_http(app, request, &response);
                }
                response
            }
            Err(bad) => {
                tracing::info!("{remote} sent a bad request: {}", bad.0);
                error_page(StatusCode::BAD_REQUEST)
            }
        };
        let mut response = finish(app, response);
        if app.debug {
            if let Ok(request) = &self.request {
                app.cookie_explainer.explain(request, response.headers());
            }
        }
        set_content_length(&mut response, self.head_request);
        if let Some(started) = self.started {
            match &self.request {
                Ok(request) if app.proxy_fix.is_some() => {
                    log_forwarded_access(request, response.status(), started);
                }
                Ok(request) => {
                    let head = (
                        request.method(),
                        Target::Received(request.uri()),
                        request.version(),
                    );
                    log_access(remote, head, response.status(), started);
                }
                Err(bad) => {
                    let head = (&bad.1.method, Target::Received(&bad.1.uri), bad.1.version);
                    log_access(remote, head, response.status(), started);
                }
            }
        }
        if self.head_request {
            *response.body_mut() = Body::empty();
        }
        response
    }
}

/// The access-log line of a request that came through a trusted proxy:
/// the client's address and the URL as the client asked for it
/// (`"GET https://example.com/path HTTP/1.1"`), as the proxy said.
fn log_forwarded_access(request: &Request, status: StatusCode, started: Instant) {
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", http::uri::PathAndQuery::as_str);
    let target = Target::Forwarded {
        scheme: request.scheme(),
        host: request.host(),
        path,
    };
    let head = (request.method(), target, request.version());
    log_access(&Peer::new(request.remote_addr()), head, status, started);
}

/// Saves the session if it changed: what the response must carry for it.
/// A server-side store (Redis) that can't take the write turns the
/// response into a 503, logged: the client must not believe a change
/// (a login, a logout) was kept when it wasn't.
#[cfg(feature = "sessions")]
async fn save_session(request: &Request, response: &mut Response) -> Outgoing {
    use crate::http_core::session::store::Saved;
    let (read, saved) = request.session.finish();
    let cookie = match saved {
        Saved::Ready(cookie) => cookie,
        Saved::Pending(writing) => match writing.await {
            Ok(cookie) => cookie,
            Err(unavailable) => {
                tracing::error!(
                    target: "phial::session",
                    "{} {}: the session could not be saved ({unavailable}): answered 503 \
                     instead of {}",
                    request.method(),
                    request.uri(),
                    response.status().as_u16()
                );
                *response = error_page(StatusCode::SERVICE_UNAVAILABLE);
                None
            }
        },
    };
    Outgoing { read, cookie }
}

/// The head of `request` as parts, for the access log of a request refused
/// while its body arrived.
#[cfg(feature = "multipart")]
fn head_of(request: &Request) -> http::request::Parts {
    let (mut parts, ()) = http::Request::new(()).into_parts();
    parts.method = request.method().clone();
    parts.uri = request.uri().clone();
    parts.version = request.version();
    parts
}

/// The app as the server sees it: a service that answers requests.
impl crate::server::Service for AppInner {
    type Prepared = Prepared;

    fn limits(&self) -> &crate::server::Limits {
        &self.limits
    }

    fn prepare(
        &self,
        parts: http::request::Parts,
        body: Bytes,
        remote: Peer,
        started: Option<Instant>,
    ) -> Prepared {
        Prepared::new(self, parts, body, remote, started)
    }

    /// A multipart body over the spool threshold, or of unknown length.
    #[cfg_attr(not(feature = "multipart"), allow(unused_variables))]
    fn streams_body(&self, parts: &http::request::Parts, declared: Option<u64>) -> bool {
        #[cfg(feature = "multipart")]
        return crate::http_core::upload::arrives_spooled(&parts.headers, declared, &self.uploads);
        #[cfg(not(feature = "multipart"))]
        false
    }

    #[cfg(feature = "multipart")]
    fn prepare_arriving(
        &self,
        parts: http::request::Parts,
        body: crate::server::ArrivingBody,
        remote: Peer,
        started: Option<Instant>,
    ) -> impl Future<Output = Result<Prepared, (http::request::Parts, StatusCode)>> + Send + '_
    {
        Prepared::arriving(self, parts, body, remote, started)
    }

    fn answer<'a>(
        &'a self,
        prepared: &'a Prepared,
    ) -> impl Future<Output = http::Response<Body>> + Send + 'a {
        prepared.answer(self)
    }
}

/// Adds the session cookie if the session changed, and `Vary: Cookie` if
/// the session or any cookie was read: a shared cache must not serve a page
/// made for one user's cookies to another (Flask's CVE-2023-30861).
fn after_session(response: &mut Response, session: Outgoing, read_cookies: bool) {
    if let Some(cookie) = session.cookie {
        response.push_cookie(cookie);
    }
    if session.read || read_cookies {
        let varies = response.headers().get_all(VARY).iter().any(|value| {
            value.to_str().is_ok_and(|text| {
                text.split(',').any(|item| {
                    matches!(item.trim(), "*") || item.trim().eq_ignore_ascii_case("cookie")
                })
            })
        });
        if !varies {
            response
                .headers_mut()
                .append(VARY, HeaderValue::from_static("Cookie"));
        }
    }
}

/// Writes cookies into headers (a cookie that can't be written is the app's
/// bug: 500).
fn finish(app: &AppInner, response: Response) -> http::Response<Body> {
    match response.into_http_for(Some(&app.cookies), Some(&app.sessions.keys)) {
        Ok(response) => response,
        Err(message) => {
            tracing::error!("the response could not be sent: {message}");
            error_page(StatusCode::INTERNAL_SERVER_ERROR)
                .into_http()
                .unwrap_or_default()
        }
    }
}

/// Sets `Content-Length` where hyper wouldn't write the one the client
/// needs: on a HEAD response (its body is dropped, the header keeps the GET
/// body's length) and on an empty body (hyper's HTTP/2 omits the `0`).
/// Other bodies held in memory or read from a file have an exact size,
/// which hyper writes straight into its output buffer; `always` sets it on
/// those too (for the test client). A streamed body has none.
pub(crate) fn set_content_length(response: &mut http::Response<Body>, always: bool) {
    let status = response.status();
    let bodiless = status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED;
    // A stream's length is unknown: sent chunked, without the header.
    let Some(length) = response.body().exact_len() else {
        return;
    };
    let needed = always || length == 0;
    if needed && !bodiless && !response.headers().contains_key(CONTENT_LENGTH) {
        response
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
}
