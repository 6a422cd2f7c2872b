//! Flask's "File Uploads": an upload form; files are saved under a safe
//! name in `UPLOAD_FOLDER` (default: a folder in the system temp dir).
//! `cargo run --example uploads`, then open /upload.

use std::path::PathBuf;

use phial::prelude::*;
use phial::{secure_filename, send_from_directory};

fn upload_folder() -> PathBuf {
    std::env::var_os("UPLOAD_FOLDER")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("phial-uploads"))
}

#[route("/upload", methods = ["GET", "POST"])]
async fn upload_file(request: &Request) -> Result<Response, phial::Error> {
    if request.method() == "POST" {
        let Some(file) = request.files.get("the_file") else {
            return Ok((StatusCode::BAD_REQUEST, "no file sent").into_response());
        };
        let name = secure_filename(file.filename().unwrap_or(""));
        if name.is_empty() {
            return Ok((StatusCode::BAD_REQUEST, "choose a file with a name").into_response());
        }
        tokio::fs::create_dir_all(upload_folder()).await?;
        file.save(upload_folder().join(&name)).await?;
        return Ok(redirect(&format!("/uploads/{name}")));
    }
    Ok(make_response(
        "<form method=post enctype=multipart/form-data>\
         <input type=file name=the_file><button>Upload</button></form>",
    ))
}

#[route("/uploads/<path:name>")]
async fn uploaded_file(name: &str) -> Response {
    send_from_directory(upload_folder(), name).await
}

/// The app: every handler above, and uploads of at most 16 MiB.
#[phial::main]
pub fn app() -> App {
    App::new().max_body_size(16 * 1024 * 1024)
}
