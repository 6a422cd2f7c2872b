//! The seed endpoints on raw hyper 1.x with hyper-util's auto builder: the
//! floor phial is measured against.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE, COOKIE, SET_COOKIE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;

const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

async fn handle(
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
            let body = phial_bench::greeting(username.as_deref().unwrap_or("Guest"));
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

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind(phial_bench::address())
        .await
        .unwrap();
    println!("listening");
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), hyper::service::service_fn(handle))
                .await;
        });
    }
}
