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
async fn upload_file(request: &Request) -> Response {
    if request.method() == "POST" {
        let Some(file) = request.files.get("the_file") else {
            return (StatusCode::BAD_REQUEST, "no file sent").into_response();
        };
        let name = secure_filename(file.filename().unwrap_or(""));
        if name.is_empty() {
            return (StatusCode::BAD_REQUEST, "choose a file with a name").into_response();
        }
        let folder = upload_folder();
        let saved = async {
            tokio::fs::create_dir_all(&folder).await?;
            file.save(folder.join(&name)).await
        };
        if let Err(error) = saved.await {
            tracing::error!("saving {name}: {error}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        return redirect(&format!("/uploads/{name}"));
    }
    make_response(
        "<form method=post enctype=multipart/form-data>\
         <input type=file name=the_file><button>Upload</button></form>",
    )
}

#[route("/uploads/<path:name>")]
async fn uploaded_file(name: &str) -> Response {
    send_from_directory(upload_folder(), name).await
}

/// The app, for `main` and for the tests.
pub fn app() -> App {
    App::new()
        .route(upload_file)
        .route(uploaded_file)
        .max_body_size(16 * 1024 * 1024)
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    app().run(&phial::default_address()).await
}
