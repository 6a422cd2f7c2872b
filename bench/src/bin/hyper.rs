//! The seed endpoints on raw hyper 1.x with hyper-util's auto builder: the
//! floor phial is measured against.

use hyper_util::rt::TokioExecutor;
use hyper_util::server::conn::auto;
use phial_bench::handle;

#[tokio::main]
async fn main() {
    phial_bench::serve_each(|io| async move {
        let _ = auto::Builder::new(TokioExecutor::new())
            .serve_connection(io, hyper::service::service_fn(handle))
            .await;
    })
    .await;
}
