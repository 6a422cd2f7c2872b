//! The seed app on phial: examples/cookies.rs itself, served without a log
//! subscriber (as the other servers are).

#[allow(dead_code)]
#[path = "../../../examples/cookies.rs"]
mod seed;

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind(phial_bench::address())
        .await
        .unwrap();
    println!("listening");
    phial::App::new()
        .discover(concat!(module_path!(), "::seed"))
        .serve(listener)
        .await
        .unwrap();
}
