//! The seed endpoints on raw hyper 1.x with hyper-util's auto builder: the
//! floor phial is measured against.

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use phial_bench::handle;

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
