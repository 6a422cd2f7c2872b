//! Response compression (feature `compression`): tower-http's
//! `CompressionLayer`, set up for web pages. tower-http picks gzip, br or
//! zstd by the request's `Accept-Encoding` and its q-values, adds
//! `Vary: Accept-Encoding` to every response it could compress, and
//! leaves alone responses already encoded or ranged; [`Compressible`]
//! says which responses are worth it.
//!
//! # When not to compress: BREACH
//!
//! Compressing a page over HTTPS lets an attacker who can see the sizes of
//! the responses, and make the victim's browser send requests, guess a
//! secret on the page byte by byte (the BREACH attack), if the page holds
//! both the secret (a CSRF token, a session identifier, personal data) and
//! something the attacker chose (a query parameter echoed back, a search
//! term). As Django's docs advise for its `GZipMiddleware`: don't compress
//! such pages, or keep secrets and reflected input off the same page.
//! phial's CSRF tokens are the same for a whole session, so a page that
//! shows one and echoes input must not be compressed: leave it out of the
//! layer (serve it from an app without it, or send it with a
//! `Content-Encoding: identity` header, which the layer leaves alone),
//! or rely on phial's token-free cross-origin check (on by default) and
//! don't put tokens on pages. Pages with no secret, static files, JSON
//! APIs without cookies, gain from compression without the risk.

use http_body::Body;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

/// Bodies shorter than this many bytes are sent as they are (Django's
/// `GZipMiddleware` leaves bodies under 200 bytes alone): the encoding's
/// headers would eat what it saves.
pub const MIN_COMPRESS_SIZE: u16 = 200;

/// Content types already compressed, or that must reach the client as they
/// are sent (server-sent events), by prefix.
const NOT_COMPRESSED: &[&str] = &[
    "image/",
    "video/",
    "audio/",
    "font/woff",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/zstd",
    "application/x-bzip2",
    "application/x-xz",
    "application/x-7z-compressed",
    "application/x-rar-compressed",
    "application/vnd.rar",
    "application/pdf",
    "application/grpc",
    "text/event-stream",
];

/// Content types under those prefixes that do compress well.
const COMPRESSED_ANYWAY: &[&str] = &["image/svg+xml", "image/bmp", "image/x-icon"];

/// Which responses [`compression`] compresses: bodies of at least
/// [`MIN_COMPRESS_SIZE`] bytes (or of unknown size) whose type is not one
/// already compressed (images other than SVG, video, audio, WOFF fonts,
/// archives, PDF) nor server-sent events.
#[derive(Clone, Copy, Debug)]
pub struct Compressible {
    min_size: SizeAbove,
}

impl Default for Compressible {
    fn default() -> Self {
        Self::min_size(MIN_COMPRESS_SIZE)
    }
}

impl Compressible {
    /// Compresses bodies of at least `bytes` bytes (of the types above).
    pub fn min_size(bytes: u16) -> Self {
        Self {
            min_size: SizeAbove::new(bytes),
        }
    }
}

impl Predicate for Compressible {
    fn should_compress<B: Body>(&self, response: &http::Response<B>) -> bool {
        let content_type = response
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .trim_start()
            .to_ascii_lowercase();
        let starts = |prefix: &&str| content_type.starts_with(prefix);
        let worth = COMPRESSED_ANYWAY.iter().any(starts) || !NOT_COMPRESSED.iter().any(starts);
        worth && self.min_size.should_compress(response)
    }
}

/// tower-http's compression layer with [`Compressible`]'s choice of
/// responses: gzip, br and zstd by `Accept-Encoding` (q-values honoured;
/// on a tie zstd, then br, then gzip). Wrap an app with
/// [`App::layer`](crate::App::layer); read the module's note on BREACH
/// first.
///
/// ```no_run
/// # #[tokio::main] async fn main() -> Result<(), phial::Error> {
/// phial::App::new()
///     .layer(phial::compression())
///     .run("127.0.0.1:5000")
///     .await
/// # }
/// ```
pub fn compression() -> CompressionLayer<Compressible> {
    CompressionLayer::new().compress_when(Compressible::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(content_type: &str, length: usize) -> http::Response<String> {
        http::Response::builder()
            .header(http::header::CONTENT_TYPE, content_type)
            .body("x".repeat(length))
            .unwrap()
    }

    #[test]
    fn compresses_text_over_the_minimum_only() {
        let compressible = Compressible::default();
        assert!(compressible.should_compress(&response("text/html; charset=utf-8", 200)));
        assert!(!compressible.should_compress(&response("text/html; charset=utf-8", 199)));
        assert!(compressible.should_compress(&response("application/json", 5000)));
        assert!(compressible.should_compress(&response("image/svg+xml", 5000)));
    }

    #[test]
    fn leaves_compressed_types_and_event_streams_alone() {
        let compressible = Compressible::default();
        for content_type in [
            "image/png",
            "Video/mp4",
            "application/zip",
            "font/woff2",
            "text/event-stream",
        ] {
            assert!(
                !compressible.should_compress(&response(content_type, 5000)),
                "{content_type}"
            );
        }
    }
}
