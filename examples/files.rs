//! Files of any size: `cargo run --example files [address]` serves the
//! folder named by `FILES_DIR` (`static` if unset) at `/static/...`, and
//! the same files through `send_from_directory` at `/download/...` with a
//! `Content-Disposition` that makes the browser save them.
//!
//! Both read the file in 64 KiB chunks as the client takes them (memory
//! stays flat whatever the size), answer `Range` requests (resumed
//! downloads, video seeking) and `HEAD` without reading the file.
//! `bench/bigfile.sh` measures a 1 GiB download through both.

use std::path::PathBuf;

use phial::extract::State;
use phial::prelude::*;
use phial::HeaderValue;

/// Where the files are.
struct Folder(PathBuf);

#[get("/download/<path:name>")]
async fn download(folder: &State<Folder>, name: &str) -> Response {
    let mut response = phial::send_from_directory(&folder.0, name).await;
    if response.status().is_success() {
        let file = name.rsplit('/').next().unwrap_or(name);
        let disposition = format!("attachment; filename=\"{}\"", file.replace('"', ""));
        if let Ok(value) = HeaderValue::try_from(disposition) {
            response
                .headers_mut()
                .insert(phial::http::header::CONTENT_DISPOSITION, value);
        }
    }
    response
}

/// The app serving `folder`.
pub fn app(folder: PathBuf) -> App {
    App::new()
        .static_folder(&folder)
        .state(Folder(folder))
        .route(download)
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    let folder = std::env::var_os("FILES_DIR").map_or_else(|| "static".into(), PathBuf::from);
    app(folder).run(&phial::default_address()).await
}
