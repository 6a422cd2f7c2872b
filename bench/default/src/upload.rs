//! An upload endpoint for bench/bigupload.sh: `POST /upload` with a
//! multipart file in field `file`, answered with its size and whether it
//! was spooled to disk. Default features, served by `App::run`; the body
//! limit raised to 4 GiB and the body-read timeout to 10 minutes.
//! `SPOOL_THRESHOLD` (bytes) and `SPOOL_DIR` in the environment override
//! the app's (500 KiB, the system's temporary folder). The address is the
//! first argument.

use std::time::Duration;

use phial::prelude::*;

#[post("/upload")]
async fn upload(request: &Request) -> Result<String, StatusCode> {
    let file = request.files.get("file").ok_or(StatusCode::BAD_REQUEST)?;
    let place = match file.path() {
        Some(_) => "spooled to disk",
        None => "in memory",
    };
    Ok(format!("{} bytes, {place}\n", file.len()))
}

fn main() -> Result<(), phial::Error> {
    let mut app = App::new()
        .max_body_size(4 << 30)
        .body_read_timeout(Duration::from_secs(600))
        .route(upload);
    if let Some(threshold) = std::env::var("SPOOL_THRESHOLD")
        .ok()
        .and_then(|t| t.parse().ok())
    {
        app = app.spool_threshold(threshold);
    }
    if let Ok(dir) = std::env::var("SPOOL_DIR") {
        app = app.spool_dir(dir);
    }
    phial::__private::run_main(app)
}
