//! A file sent as a body: read from disk in chunks of at most
//! [`CHUNK`] bytes, one chunk at a time as the connection takes them, so a
//! file of any size costs the same memory. Sends the whole file, or the
//! ranges a `Range` request asked for (with the `multipart/byteranges`
//! part headers between them).

use std::io::{self, SeekFrom};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::{Bytes, BytesMut};
use smallvec::SmallVec;
use tokio::io::{AsyncReadExt, AsyncSeek};

/// The most read from the file per chunk.
pub(crate) const CHUNK: usize = 64 * 1024;

/// A piece of what a file body sends.
#[derive(Debug)]
pub(crate) enum Part {
    /// Bytes of phial's own (a multipart boundary and part headers).
    Bytes(Bytes),
    /// `len` bytes of the file from offset `start`.
    Range { start: u64, len: u64 },
}

impl Part {
    fn len(&self) -> u64 {
        match self {
            Self::Bytes(bytes) => bytes.len() as u64,
            Self::Range { len, .. } => *len,
        }
    }
}

/// An open file and what is left to send of it.
#[derive(Debug)]
pub(crate) struct FileBody {
    file: tokio::fs::File,
    /// The file's length when it was opened.
    size: u64,
    /// What is left to send after the current range, last first.
    parts: SmallVec<[Part; 1]>,
    /// Bytes left to read in the range being sent.
    current: u64,
    /// Where the file's cursor is (after the pending seek, if any).
    position: u64,
    seeking: bool,
    /// Bytes left to send in all.
    remaining: u64,
    buf: BytesMut,
}

impl FileBody {
    /// The whole of `file`, `size` bytes long, its cursor at the start.
    pub(crate) fn new(file: tokio::fs::File, size: u64) -> Self {
        let mut parts = SmallVec::new();
        parts.push(Part::Range {
            start: 0,
            len: size,
        });
        Self {
            file,
            size,
            parts,
            current: 0,
            position: 0,
            seeking: false,
            remaining: size,
            buf: BytesMut::new(),
        }
    }

    /// The file's length.
    pub(crate) fn size(&self) -> u64 {
        self.size
    }

    /// The bytes left to send.
    pub(crate) fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Sends `parts`, in order, instead of the whole file (before the
    /// body is first polled).
    pub(crate) fn select(&mut self, parts: Vec<Part>) {
        self.remaining = parts.iter().map(Part::len).sum();
        self.parts = parts.into_iter().rev().collect();
        self.current = 0;
    }

    /// The next chunk; `None` once everything was sent.
    pub(crate) fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        loop {
            if self.current > 0 {
                if self.seeking {
                    ready!(Pin::new(&mut self.file).poll_complete(cx))?;
                    self.seeking = false;
                }
                if self.buf.capacity() < CHUNK {
                    self.buf.reserve(CHUNK);
                }
                let limit = self.current.min(CHUNK as u64);
                let mut limited = (&mut self.file).take(limit);
                let read = ready!(tokio_util::io::poll_read_buf(
                    Pin::new(&mut limited),
                    cx,
                    &mut self.buf
                ))?;
                if read == 0 {
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the file got shorter while it was being sent",
                    ))));
                }
                self.current -= read as u64;
                self.remaining -= read as u64;
                return Poll::Ready(Some(Ok(self.buf.split().freeze())));
            }
            match self.parts.pop() {
                None => return Poll::Ready(None),
                Some(Part::Bytes(bytes)) => {
                    self.remaining -= bytes.len() as u64;
                    return Poll::Ready(Some(Ok(bytes)));
                }
                Some(Part::Range { start, len }) => {
                    if start != self.position {
                        Pin::new(&mut self.file).start_seek(SeekFrom::Start(start))?;
                        self.seeking = true;
                    }
                    self.current = len;
                    self.position = start + len;
                }
            }
        }
    }
}
