//! What the servers share: the address they bind, the page text, and the
//! seed endpoints as a hyper service with the accept loop both hyper
//! servers run.

use std::convert::Infallible;
use std::future::Future;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE, COOKIE, SET_COOKIE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

/// The address from the first argument, else 127.0.0.1:8000.
pub fn address() -> String {
    std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned())
}

/// The listener on [`address`], once bound: says "listening" (what the
/// scripts wait for).
pub async fn listener() -> TcpListener {
    let listener = TcpListener::bind(address()).await.unwrap();
    println!("listening");
    listener
}

/// Accepts connections on [`listener`] for ever, each served by `serve`
/// on a task of its own (Nagle off, as phial's server does).
pub async fn serve_each<F, Fut>(serve: F)
where
    F: Fn(TokioIo<TcpStream>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = listener().await;
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve(TokioIo::new(stream)));
    }
}

/// The `/user` page for `username`.
pub fn greeting(username: &str) -> String {
    format!("Hello, {username}!")
}

const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

/// The seed endpoints (`/` sets a cookie, `/user` reads it) on bare hyper.
pub async fn handle(
    request: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let mut response = match request.uri().path() {
        "/" => {
            let mut response = Response::new(Full::new(Bytes::from_static(b"Hello, World!")));
            response
                .headers_mut()
                .append(SET_COOKIE, HeaderValue::from_static("username=bob; Path=/"));
            response
        }
        "/user" => {
            let username = request
                .headers()
                .get_all(COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(cookie::Cookie::split_parse)
                .filter_map(Result::ok)
                .find(|cookie| cookie.name() == "username")
                .map(|cookie| cookie.value().to_owned());
            let body = greeting(username.as_deref().unwrap_or("Guest"));
            Response::new(Full::new(Bytes::from(body)))
        }
        _ => {
            let mut response = Response::new(Full::new(Bytes::from_static(b"Not Found")));
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        }
    };
    response.headers_mut().insert(CONTENT_TYPE, HTML);
    Ok(response)
}
