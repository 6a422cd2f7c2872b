//! A stream that tells its connection two things: whether the client has
//! started a request since the server last wrote (so that a header-read
//! timeout can be told apart from an idle keep-alive connection running
//! out), and whether a write failed because the client read nothing for the
//! write timeout (a client that stops reading can't hold its connection and
//! its response forever).

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

use super::limits::LONGEST_TIMEOUT;

/// What a [`Watched`] stream has seen, read by its connection.
#[derive(Debug)]
pub(super) struct Signals {
    mid_request: AtomicBool,
    write_stalled: AtomicBool,
}

impl Signals {
    /// Whether the client has sent bytes since the server last wrote.
    pub(super) fn mid_request(&self) -> bool {
        self.mid_request.load(Ordering::Relaxed)
    }

    /// Whether a write was failed for making no progress in time.
    pub(super) fn write_stalled(&self) -> bool {
        self.write_stalled.load(Ordering::Relaxed)
    }
}

/// Wraps a stream; the [`Signals`] it returns say what it has seen.
pub(super) struct Watched<S> {
    stream: S,
    signals: Arc<Signals>,
    write_timeout: Duration,
    /// When a write waiting on the client fails; allocated on the first
    /// write that has to wait, then reused.
    write_deadline: Option<Pin<Box<Sleep>>>,
    /// Whether `write_deadline` runs for the current wait.
    waiting: bool,
}

impl<S> Watched<S> {
    /// `mid_request` starts true: the sniffer has read the first bytes.
    pub(super) fn new(stream: S, write_timeout: Duration) -> (Self, Arc<Signals>) {
        let signals = Arc::new(Signals {
            mid_request: AtomicBool::new(true),
            write_stalled: AtomicBool::new(false),
        });
        let watched = Self {
            stream,
            signals: Arc::clone(&signals),
            write_timeout,
            write_deadline: None,
            waiting: false,
        };
        (watched, signals)
    }

    /// Notes a write's outcome: progress clears `mid_request` and stops the
    /// write deadline; a write that has to wait starts it (if it isn't
    /// running) and fails once it passes.
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match polled {
            Poll::Pending => self.poll_write_deadline(cx),
            Poll::Ready(Ok(written)) => {
                if written > 0 {
                    self.signals.mid_request.store(false, Ordering::Relaxed);
                }
                self.waiting = false;
                polled
            }
            Poll::Ready(Err(_)) => polled,
        }
    }

    fn poll_write_deadline(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let timeout = self.write_timeout.min(LONGEST_TIMEOUT);
        let deadline = Instant::now() + timeout;
        let sleep = match &mut self.write_deadline {
            Some(sleep) if self.waiting => sleep,
            Some(sleep) => {
                sleep.as_mut().reset(deadline);
                sleep
            }
            None => self
                .write_deadline
                .insert(Box::pin(tokio::time::sleep_until(deadline))),
        };
        self.waiting = true;
        match sleep.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => {
                self.signals.write_stalled.store(true, Ordering::Relaxed);
                let stalled = WriteStalled(self.write_timeout);
                Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, stalled)))
            }
        }
    }
}

impl<S: fmt::Debug> fmt::Debug for Watched<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watched")
            .field("stream", &self.stream)
            .field("signals", &self.signals)
            .field("write_timeout", &self.write_timeout)
            .field("waiting", &self.waiting)
            .finish_non_exhaustive()
    }
}

/// The error a write fails with once the client has read nothing for the
/// write timeout.
#[derive(Debug)]
struct WriteStalled(Duration);

impl fmt::Display for WriteStalled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the client read nothing for {:?}", self.0)
    }
}

impl std::error::Error for WriteStalled {}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.signals.mid_request.store(true, Ordering::Relaxed);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.after_write(cx, polled)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.after_write(cx, polled)
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

    const LONG: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn reads_set_and_writes_clear_the_flag() {
        let (client, server) = tokio::io::duplex(64);
        let (mut watched, signals) = Watched::new(server, LONG);
        let mut client = client;
        watched.write_all(b"response").await.unwrap();
        assert!(!signals.mid_request());
        client.write_all(b"GET").await.unwrap();
        let mut buf = [0u8; 3];
        watched.read_exact(&mut buf).await.unwrap();
        assert!(signals.mid_request());
    }

    #[tokio::test]
    async fn a_write_nobody_reads_fails_at_the_write_timeout() {
        let (client, server) = tokio::io::duplex(64);
        let timeout = Duration::from_millis(100);
        let (mut watched, signals) = Watched::new(server, timeout);
        let started = std::time::Instant::now();
        let error = watched.write_all(&[b'x'; 1000]).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= timeout);
        assert!(signals.write_stalled());
        assert!(error.to_string().contains("read nothing for 100ms"));
        drop(client);
    }

    #[tokio::test]
    async fn a_reader_that_keeps_up_restarts_the_clock() {
        let (mut client, server) = tokio::io::duplex(64);
        let timeout = Duration::from_millis(400);
        let (mut watched, signals) = Watched::new(server, timeout);
        // 64 bytes every 40 ms: each write waits, none for the timeout,
        // and the whole takes twice as long as it.
        let reader = tokio::spawn(async move {
            let mut chunk = [0u8; 64];
            let mut total = 0;
            while total < 1280 {
                tokio::time::sleep(Duration::from_millis(40)).await;
                total += client.read(&mut chunk).await.unwrap();
            }
            total
        });
        watched.write_all(&[b'x'; 1280]).await.unwrap();
        assert_eq!(reader.await.unwrap(), 1280);
        assert!(!signals.write_stalled());
    }
}
