//! The seed endpoints on hyper's own HTTP/1 server (`hyper::server::conn::http1`,
//! no hyper-util auto builder: no HTTP/2 preface sniffing): the barest floor.

use hyper_util::rt::TokioIo;
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
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), hyper::service::service_fn(handle))
                .await;
        });
    }
}
