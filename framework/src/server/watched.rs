//! A stream that remembers whether the client has started a request since
//! the server last wrote, so that a header-read timeout can be told apart
//! from an idle keep-alive connection running out.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Wraps a stream; [`Watched::mid_request`] reads the flag.
#[derive(Debug)]
pub(super) struct Watched<S> {
    stream: S,
    mid_request: Arc<AtomicBool>,
}

impl<S> Watched<S> {
    /// `mid_request` starts true: the sniffer has read the first bytes.
    pub(super) fn new(stream: S) -> (Self, Arc<AtomicBool>) {
        let mid_request = Arc::new(AtomicBool::new(true));
        let watched = Self {
            stream,
            mid_request: Arc::clone(&mid_request),
        };
        (watched, mid_request)
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.mid_request.store(true, Ordering::Relaxed);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.mid_request.store(false, Ordering::Relaxed);
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.mid_request.store(false, Ordering::Relaxed);
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    #[tokio::test]
    async fn reads_set_and_writes_clear_the_flag() {
        let (client, server) = tokio::io::duplex(64);
        let (mut watched, mid_request) = Watched::new(server);
        let mut client = client;
        watched.write_all(b"response").await.unwrap();
        assert!(!mid_request.load(Ordering::Relaxed));
        client.write_all(b"GET").await.unwrap();
        let mut buf = [0u8; 3];
        watched.read_exact(&mut buf).await.unwrap();
        assert!(mid_request.load(Ordering::Relaxed));
    }
}
