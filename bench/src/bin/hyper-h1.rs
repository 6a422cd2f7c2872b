//! The seed endpoints on hyper's own HTTP/1 server (`hyper::server::conn::http1`,
//! no hyper-util auto builder: no HTTP/2 preface sniffing): the barest floor.

use phial_bench::handle;

#[tokio::main]
async fn main() {
    phial_bench::serve_each(|io| async move {
        let _ = hyper::server::conn::http1::Builder::new()
            .serve_connection(io, hyper::service::service_fn(handle))
            .await;
    })
    .await;
}
