//! A phial app mounted inside an axum router: `App` is a tower `Service`,
//! so `Router::nest_service` serves it under a prefix, beside axum's own
//! routes (a gradual move from one to the other, either way).
//!
//! `cargo run --example mount_in_axum --features tower` serves it on
//! 127.0.0.1:5000 (or the address given as the first argument, or
//! `127.0.0.1:$PORT`): `/` is axum's, `/old/...` phial's.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use phial::prelude::*;
use phial::RemoteAddr;

/// phial's page: the path it sees is the one under the prefix.
#[get("/hello/<name>")]
fn hello(request: &Request, name: &str) -> String {
    format!(
        "Hello {name}, from phial at {} (client {})",
        request.path(),
        request.remote_addr().ip()
    )
}

/// The phial app, as it was before it was mounted.
pub fn phial_app() -> App {
    App::new().route(hello)
}

/// axum's router with the phial app under `/old`. A small middleware
/// hands phial the client's address (axum's `ConnectInfo`) as a
/// [`RemoteAddr`].
///
/// # Errors
///
/// If the phial app fails its start-up check.
pub fn router() -> Result<axum::Router, phial::Error> {
    let phial = phial_app().into_service()?;
    Ok(
        axum::Router::new()
            .route("/", axum::routing::get(|| async { "Hello from axum" }))
            .nest_service("/old", phial)
            .layer(axum::middleware::map_request(
                |ConnectInfo(client): ConnectInfo<SocketAddr>,
                 mut request: axum::extract::Request| async move {
                    request.extensions_mut().insert(RemoteAddr(client));
                    request
                },
            )),
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = tokio::net::TcpListener::bind(phial::default_address()).await?;
    println!(" * Running on http://{}", listener.local_addr()?);
    let app = router()?.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).await?;
    Ok(())
}
