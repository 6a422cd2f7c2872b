//! A multipart body parsed as it arrives, for bodies over the spool
//! threshold (or of unknown length): fields kept in memory, file parts in
//! memory until the request's in-memory files would pass the threshold,
//! then in temporary files (see `spooled.rs`). Smaller bodies are read whole
//! and parsed on first use (`multipart.rs`).

use std::error::Error as StdError;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue};

use crate::http_core::multipart::{Contents, FileStorage};
use crate::http_core::params::{Params, MAX_FORM_FIELDS};
use crate::http_core::spooled::{SpoolSettings, Spooling};

/// What a multipart body held: its fields and its files.
#[derive(Debug, Default)]
pub(crate) struct Upload {
    pub(crate) fields: Params,
    pub(crate) files: Vec<FileStorage>,
}

/// Why a multipart body could not be received.
#[derive(Debug)]
pub(crate) enum UploadError {
    /// The body's stream failed (its reader's error: the body over the
    /// size limit, too slow, the client gone).
    Read(Box<dyn StdError + Send + Sync>),
    /// A file could not be spooled to disk.
    Disk(std::io::Error),
    /// The field of this name, not a file, is longer than
    /// [`SpoolSettings::max_form_memory`].
    FieldTooLarge(String),
}

impl From<std::io::Error> for UploadError {
    fn from(error: std::io::Error) -> Self {
        Self::Disk(error)
    }
}

/// Whether a request with these headers and this declared length has a
/// multipart body to receive as it arrives: `multipart/form-data` (the
/// first `Content-Type`, as `request.form` reads it) longer than the
/// threshold or than a field may be, or of unknown length (chunked). A
/// body read whole is no longer than either, so only one received as it
/// arrives can hold a field over the limit: there it is answered 413.
pub(crate) fn arrives_spooled(
    headers: &HeaderMap,
    declared: Option<u64>,
    settings: &SpoolSettings,
) -> bool {
    let whole = settings.threshold.min(settings.max_form_memory) as u64;
    if declared.is_some_and(|length| length <= whole) {
        return false;
    }
    let Some(content_type) = headers.get(CONTENT_TYPE) else {
        return false;
    };
    let text = content_type.to_str().unwrap_or("");
    let essence = text.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("multipart/form-data")
}

/// Reads a `multipart/form-data` body as it arrives (at most
/// [`MAX_FORM_FIELDS`] parts). A malformed body reads as empty, with a log
/// line, as a malformed body read whole does; the temporary files of the
/// parts read so far are removed then, as on an error.
///
/// # Errors
///
/// When `body` fails, a file can't be written to disk, or a field that is
/// not a file is over the settings' `max_form_memory`.
pub(crate) async fn receive<S, E>(
    content_type: &HeaderValue,
    body: S,
    settings: &SpoolSettings,
) -> Result<Upload, UploadError>
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Into<Box<dyn StdError + Send + Sync>> + 'static,
{
    let boundary = content_type
        .to_str()
        .ok()
        .and_then(|text| multer::parse_boundary(text).ok());
    let Some(boundary) = boundary else {
        return Ok(malformed("the multipart/form-data body has no boundary"));
    };
    let mut multipart = multer::Multipart::new(body, boundary);
    let mut upload = Upload::default();
    // The bytes of the files held in memory so far.
    let mut in_memory = 0;
    let mut count = 0;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return failed(error),
        };
        count += 1;
        if count > MAX_FORM_FIELDS {
            break;
        }
        let name = field.name().unwrap_or_default().to_owned();
        let Some(filename) = field.file_name().map(str::to_owned) else {
            let mut text = BytesMut::new();
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) if text.len() + chunk.len() > settings.max_form_memory => {
                        return Err(UploadError::FieldTooLarge(name));
                    }
                    Ok(Some(chunk)) => text.extend_from_slice(&chunk),
                    Ok(None) => break,
                    Err(error) => return failed(error),
                }
            }
            upload
                .fields
                .push_owned(name, String::from_utf8_lossy(&text).into_owned());
            continue;
        };
        let content_type = field.content_type().map(ToString::to_string);
        let mut held = BytesMut::new();
        let mut spooling: Option<Spooling> = None;
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(error) => return failed(error),
            };
            match &mut spooling {
                Some(file) => file.write(&chunk).await?,
                None if in_memory + held.len() + chunk.len() > settings.threshold => {
                    let mut file = Spooling::create(settings).await?;
                    file.write(&held).await?;
                    file.write(&chunk).await?;
                    held = BytesMut::new();
                    spooling = Some(file);
                }
                None => held.extend_from_slice(&chunk),
            }
        }
        let contents = match spooling {
            Some(file) => Contents::Disk(Arc::new(file.finish().await?)),
            None => {
                in_memory += held.len();
                Contents::Memory(held.freeze())
            }
        };
        upload.files.push(FileStorage::new(
            name,
            Some(filename),
            content_type,
            contents,
        ));
    }
    Ok(upload)
}

/// The error a failed parse is: the body's own, or none (an empty upload)
/// for a malformed body.
fn failed(error: multer::Error) -> Result<Upload, UploadError> {
    match error {
        multer::Error::StreamReadFailed(error) => Err(UploadError::Read(error)),
        _ => Ok(malformed("the multipart/form-data body is malformed")),
    }
}

/// An empty upload, logged.
fn malformed(why: &str) -> Upload {
    tracing::info!("{why}: request.form and request.files read it as empty");
    Upload::default()
}
