//! The seed app on phial: examples/cookies.rs itself, served without a log
//! subscriber (as the other servers are).

#[allow(dead_code)]
#[path = "../../../examples/cookies.rs"]
mod seed;

#[tokio::main]
async fn main() {
    let listener = phial_bench::listener().await;
    phial::App::new()
        .discover(concat!(module_path!(), "::seed"))
        .serve(listener)
        .await
        .unwrap();
}
