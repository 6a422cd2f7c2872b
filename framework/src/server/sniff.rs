//! Telling HTTP/2 (prior knowledge, cleartext) from HTTP/1 by the first
//! bytes, within the header-read deadline.
//!
//! hyper-util's `auto` builder does the same sniffing but without any
//! timeout, so a client that connects and sends nothing (or one byte) would
//! hold its connection forever. Sniffing here puts that first read under
//! the same deadline as the rest of the request head.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The connection preface every HTTP/2 client sends first (RFC 9113, 3.4).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Which protocol the client speaks.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Protocol {
    Http1,
    Http2,
}

/// Reads until the bytes rule HTTP/2 in or out. Returns the protocol and the
/// stream with those bytes put back; `Ok(None)` if the client closed first.
pub(crate) async fn sniff<S>(mut stream: S) -> io::Result<Option<(Protocol, Prefixed<S>)>>
where
    S: AsyncRead + Unpin,
{
    let mut buffer = [0u8; H2_PREFACE.len()];
    let mut filled = 0;
    while filled < H2_PREFACE.len() {
        let read = read_some(&mut stream, &mut buffer[filled..]).await?;
        if read == 0 {
            if filled == 0 {
                return Ok(None);
            }
            break;
        }
        filled += read;
        if buffer[..filled] != H2_PREFACE[..filled] {
            break;
        }
    }
    let protocol = if buffer[..filled] == *H2_PREFACE {
        Protocol::Http2
    } else {
        Protocol::Http1
    };
    Ok(Some((
        protocol,
        Prefixed {
            prefix: buffer,
            start: 0,
            end: filled,
            stream,
        },
    )))
}

/// One read into `buffer`: tokio's `AsyncReadExt::read`, without its
/// `io-util` feature (a second of every clean build, for this one call).
async fn read_some<S: AsyncRead + Unpin>(stream: &mut S, buffer: &mut [u8]) -> io::Result<usize> {
    let mut buffer = ReadBuf::new(buffer);
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_read(cx, &mut buffer)).await?;
    Ok(buffer.filled().len())
}

/// A stream that first replays the bytes the sniffer read.
#[derive(Debug)]
pub(crate) struct Prefixed<S> {
    prefix: [u8; H2_PREFACE.len()],
    start: usize,
    end: usize,
    stream: S,
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.start < self.end {
            let count = buf.remaining().min(self.end - self.start);
            let start = self.start;
            buf.put_slice(&self.prefix[start..start + count]);
            self.start += count;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
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
    use tokio::io::AsyncReadExt;

    use super::*;

    #[tokio::test]
    async fn tells_http2_from_http1_and_replays_the_bytes() {
        let (protocol, mut stream) = sniff(&b"GET / HTTP/1.1\r\n\r\n"[..])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(protocol, Protocol::Http1);
        let mut replay = Vec::new();
        stream.read_to_end(&mut replay).await.unwrap();
        assert_eq!(replay, b"GET / HTTP/1.1\r\n\r\n");

        let mut h2 = H2_PREFACE.to_vec();
        h2.extend_from_slice(b"frames");
        let (protocol, mut stream) = sniff(&h2[..]).await.unwrap().unwrap();
        assert_eq!(protocol, Protocol::Http2);
        let mut replay = Vec::new();
        stream.read_to_end(&mut replay).await.unwrap();
        assert_eq!(replay, h2);

        assert!(sniff(&b""[..]).await.unwrap().is_none());
    }
}
