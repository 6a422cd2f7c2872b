//! An uploaded file spooled to disk: written to a temporary file while the
//! request streams in, read back or moved by [`FileStorage`], removed when
//! the last handle on it is dropped (when the request ends, unless the app
//! kept a clone of its `FileStorage`).
//!
//! [`FileStorage`]: crate::FileStorage

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use bytes::Bytes;
use tempfile::TempPath;
use tokio::io::{AsyncWriteExt, BufWriter};

/// Where uploads go past the spool threshold, and what that threshold is:
/// the app's settings, read by the streaming multipart parser.
#[derive(Clone, Debug)]
pub(crate) struct SpoolSettings {
    /// File parts are held in memory while a request's in-memory files
    /// total at most this many bytes; past it, they go to disk.
    pub(crate) threshold: usize,
    /// The folder of the temporary files; the system's temporary folder
    /// (`TMPDIR`) when `None`.
    pub(crate) dir: Option<PathBuf>,
    /// A field that is not a file may be at most this long (Flask's
    /// `MAX_FORM_MEMORY_SIZE`): it is held in memory.
    pub(crate) max_form_memory: usize,
}

impl Default for SpoolSettings {
    fn default() -> Self {
        Self {
            // Werkzeug's: `default_stream_factory` spools over 500 KiB.
            threshold: 500 * 1024,
            dir: None,
            // Flask's (3.1) `MAX_FORM_MEMORY_SIZE`.
            max_form_memory: 500_000,
        }
    }
}

/// The prefix of every spooled file's name (`phial-upload-XXXXXX`).
pub(crate) const PREFIX: &str = "phial-upload-";

/// A file being written: a temporary file, removed if it is dropped before
/// [`finish`](Self::finish) (a client gone mid-upload, a malformed body).
pub(crate) struct Spooling {
    file: BufWriter<tokio::fs::File>,
    path: TempPath,
    len: u64,
}

impl Spooling {
    /// Creates an empty temporary file in the settings' folder.
    pub(crate) async fn create(settings: &SpoolSettings) -> io::Result<Self> {
        let dir = settings.dir.clone().unwrap_or_else(std::env::temp_dir);
        let created = tokio::task::spawn_blocking(move || {
            tempfile::Builder::new().prefix(PREFIX).tempfile_in(dir)
        })
        .await
        .map_err(io::Error::other)??;
        let (file, path) = created.into_parts();
        Ok(Self {
            // Fewer, larger writes: each is a trip to tokio's blocking pool.
            file: BufWriter::with_capacity(256 * 1024, tokio::fs::File::from_std(file)),
            path,
            len: 0,
        })
    }

    /// Appends `chunk`.
    pub(crate) async fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.file.write_all(chunk).await?;
        self.len += chunk.len() as u64;
        Ok(())
    }

    /// The file, written through to disk.
    pub(crate) async fn finish(mut self) -> io::Result<SpooledFile> {
        self.file.flush().await?;
        Ok(SpooledFile {
            len: self.len,
            place: Mutex::new(Place::Temporary(self.path)),
            bytes: OnceLock::new(),
        })
    }
}

/// An uploaded file on disk.
pub(crate) struct SpooledFile {
    len: u64,
    place: Mutex<Place>,
    /// Its bytes, once [`bytes`](Self::bytes) read them.
    bytes: OnceLock<Bytes>,
}

/// Where a spooled file is: still its temporary file (removed on drop), or
/// moved by a save (the app's file now).
#[derive(Debug)]
enum Place {
    Temporary(TempPath),
    Moved(PathBuf),
}

impl Place {
    fn path(&self) -> &Path {
        match self {
            Self::Temporary(path) => path,
            Self::Moved(path) => path,
        }
    }
}

impl SpooledFile {
    /// Its size in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Where it is now.
    pub(crate) fn path(&self) -> PathBuf {
        self.place().path().to_owned()
    }

    fn place(&self) -> std::sync::MutexGuard<'_, Place> {
        // Nothing panics while holding the lock; a poisoned one is as good.
        self.place
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Its bytes, read from disk on the first call (blocking the thread)
    /// and kept; empty, with a log line, if it can't be read.
    pub(crate) fn bytes(&self) -> &Bytes {
        self.bytes.get_or_init(|| {
            let path = self.path();
            match std::fs::read(&path) {
                Ok(bytes) => Bytes::from(bytes),
                Err(error) => {
                    tracing::error!(
                        "the upload spooled to {} can't be read: {error}",
                        path.display()
                    );
                    Bytes::new()
                }
            }
        })
    }

    /// Its bytes, read from disk.
    pub(crate) async fn read(&self) -> io::Result<Bytes> {
        match self.bytes.get() {
            Some(bytes) => Ok(bytes.clone()),
            None => tokio::fs::read(self.path()).await.map(Bytes::from),
        }
    }

    /// Moves it to `to` on its first save (a rename; a copy when that
    /// fails, across filesystems say), copies it there afterwards. The
    /// file gets the permissions a file written there would (not the
    /// temporary file's private ones).
    pub(crate) async fn save(&self, to: &Path) -> io::Result<()> {
        // Created (or truncated) as writing the file would: its
        // permissions are the umask's, or those of the file it replaces.
        let permissions = tokio::fs::File::create(to)
            .await?
            .metadata()
            .await?
            .permissions();
        let (from, temporary) = {
            let place = self.place();
            (
                place.path().to_owned(),
                matches!(*place, Place::Temporary(_)),
            )
        };
        if temporary && tokio::fs::rename(&from, to).await.is_ok() {
            let mut place = self.place();
            if let Place::Temporary(moved) =
                std::mem::replace(&mut *place, Place::Moved(to.to_owned()))
            {
                // Renamed away: nothing left to remove.
                drop(moved.keep());
            }
        } else {
            tokio::fs::copy(&from, to).await?;
        }
        tokio::fs::set_permissions(to, permissions).await
    }
}

impl fmt::Debug for SpooledFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpooledFile")
            .field("path", &self.path())
            .field("len", &self.len)
            .finish()
    }
}
