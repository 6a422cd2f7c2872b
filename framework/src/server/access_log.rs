//! The access log: one line per request (target `phial::access`, level
//! INFO), refused ones included, as
//! `127.0.0.1:50632 "GET /?q=1 HTTP/1.1" 200 0.042ms`.
//!
//! Under `App::run`'s own log subscriber (see `logging.rs`) the line is
//! formatted here, in the subscriber's form, and appended to the log's
//! buffer: no `tracing` event, no field visitor, no allocation. Otherwise
//! (the app installed its own subscriber, or a test captures the log) it
//! is a `tracing` event as any other.

#[cfg(feature = "logging")]
use std::cell::RefCell;
#[cfg(feature = "logging")]
use std::io::Write;
#[cfg(feature = "logging")]
use std::net::IpAddr;
use std::net::SocketAddr;
use std::time::Instant;

use http::{Method, StatusCode, Uri, Version};

#[cfg(feature = "logging")]
use super::log_line::{put_digits, put_fixed, Clock};
#[cfg(feature = "logging")]
use super::log_writer::LogWriter;
use super::logging::access_log_on;
#[cfg(feature = "logging")]
use super::logging::access_log_writer;

/// The client at the other end of a connection: its address and, when
/// the access log writes its lines itself, the address as a line shows it,
/// formatted once per connection rather than once per request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Peer {
    address: SocketAddr,
    /// `127.0.0.1:50632` and its length (0: not formatted ahead, an IPv6
    /// address or the log off).
    #[cfg(feature = "logging")]
    text: ([u8; 24], u8),
}

impl Peer {
    /// The client at `address`.
    pub(crate) fn new(address: SocketAddr) -> Self {
        Self {
            address,
            #[cfg(feature = "logging")]
            text: match address {
                SocketAddr::V4(_) if access_log_writer().is_some() => {
                    let mut text = [0; 24];
                    let length = write_address(&mut text, address);
                    (text, u8::try_from(length).unwrap_or(0))
                }
                _ => ([0; 24], 0),
            },
        }
    }

    /// The client's address.
    pub(crate) fn address(&self) -> SocketAddr {
        self.address
    }
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.address.fmt(f)
    }
}

/// What an access line shows as the request's target.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Target<'a> {
    /// The request's URI as received (usually `/path?query`).
    Received(&'a Uri),
    /// The URL the client asked for, as a trusted proxy said: the scheme
    /// and host, then the path and query as received.
    Forwarded {
        scheme: &'a str,
        host: &'a str,
        path: &'a str,
    },
}

impl std::fmt::Display for Target<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Received(uri) => uri.fmt(f),
            Target::Forwarded { scheme, host, path } => write!(f, "{scheme}://{host}{path}"),
        }
    }
}

/// The time a request started, if the access log (target `phial::access`,
/// level INFO) is on; `None` spares reading the clock when it is off.
pub(crate) fn access_log_started() -> Option<Instant> {
    let on = match access_log_on() {
        Some(on) => on,
        None => tracing::enabled!(target: "phial::access", tracing::Level::INFO),
    };
    on.then(Instant::now)
}

/// The access-log line for one request (target `phial::access`), as
/// `127.0.0.1:50632 "GET /?q=1 HTTP/1.1" 200 0.042ms`.
pub(crate) fn log_access(
    remote: &Peer,
    (method, target, version): (&Method, Target<'_>, Version),
    status: StatusCode,
    started: Instant,
) {
    // One clock reading for the duration and the line's time.
    let now = Instant::now();
    let elapsed = now.saturating_duration_since(started);
    // Rounded to the microsecond, as `{:.3}` of the milliseconds would.
    let micros = elapsed.as_secs() * 1_000_000 + u64::from(elapsed.subsec_nanos() + 500) / 1000;
    #[cfg(feature = "logging")]
    if let Some(writer) = access_log_writer() {
        write_access_line(
            writer,
            now,
            remote,
            (method, target, version),
            status,
            micros,
        );
        return;
    }
    let client = Client(remote.address);
    tracing::info!(
        target: "phial::access",
        "{client} \"{method} {target} {}\" {} {}.{:03}ms",
        String::from_utf8_lossy(version_name(version)),
        status.as_u16(),
        micros / 1000,
        micros % 1000,
    );
}

/// Formats the line straight into the log's buffer (under its lock: no
/// copy of its own, and the lines' times are in order). Fixed-length
/// pieces are put together on the stack, so the line is a handful of
/// copies.
#[cfg(feature = "logging")]
fn write_access_line(
    writer: &LogWriter,
    now: Instant,
    remote: &Peer,
    (method, target, version): (&Method, Target<'_>, Version),
    status: StatusCode,
    micros: u64,
) {
    thread_local! {
        static CLOCK: RefCell<Clock> = const { RefCell::new(Clock::new()) };
    }
    // `scheme://host` before the path (behind a proxy), then the path.
    let (origin, path) = match target {
        // The usual origin form: the path and query as received.
        Target::Received(uri) => match (uri.scheme(), uri.path_and_query()) {
            (None, Some(path)) => (None, std::borrow::Cow::Borrowed(path.as_str())),
            _ => (None, std::borrow::Cow::Owned(uri.to_string())),
        },
        Target::Forwarded { scheme, host, path } => {
            (Some((scheme, host)), std::borrow::Cow::Borrowed(path))
        }
    };
    let origin_length = origin.map_or(0, |(scheme, host)| scheme.len() + 3 + host.len());
    let mut middle = *b" HTTP/1.1\" 200 ";
    middle[1..9].copy_from_slice(version_name(version));
    put_fixed(&mut middle[11..14], u32::from(status.as_u16()));
    let mut duration = [0; 20];
    let whole = put_digits(
        &mut duration,
        u32::try_from(micros / 1000).unwrap_or(u32::MAX),
    );
    duration[whole] = b'.';
    put_fixed(&mut duration[whole + 1..whole + 4], (micros % 1000) as u32);
    duration[whole + 4..whole + 7].copy_from_slice(b"ms\n");
    let mut client = [0; 64];
    let client_length = match remote.text {
        (text, length @ 1..) => {
            client[..24].copy_from_slice(&text);
            usize::from(length)
        }
        _ => write_address(&mut client, remote.address),
    };
    let length = LINE_START
        + client_length
        + method.as_str().len()
        + origin_length
        + path.len()
        + 3
        + 15
        + 20;
    CLOCK.with(|clock| {
        let clock = &mut *clock.borrow_mut();
        writer.append_with(length, |line| {
            line.reserve(length);
            clock.write_timestamp(line, now);
            line.extend_from_slice(b"  INFO phial::access: ");
            extend_with_prefix(line, &client, client_length);
            line.extend_from_slice(b" \"");
            line.extend_from_slice(method.as_str().as_bytes());
            line.push(b' ');
            if let Some((scheme, host)) = origin {
                line.extend_from_slice(scheme.as_bytes());
                line.extend_from_slice(b"://");
                line.extend_from_slice(host.as_bytes());
            }
            line.extend_from_slice(path.as_bytes());
            line.extend_from_slice(&middle);
            extend_with_prefix(line, &duration, whole + 7);
        });
    });
}

/// The bytes before the client's address: the timestamp and the level
/// and target.
#[cfg(feature = "logging")]
const LINE_START: usize = "2026-12-06T05:22:04.643557Z  INFO phial::access: ".len();

/// The client's address as the line shows it: as `SocketAddr`'s `Display`
/// writes it, without the port when it is 0 (a client whose port a proxy
/// didn't pass on, or the test client's).
struct Client(SocketAddr);

impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            address if address.port() != 0 => write!(f, "{address}"),
            std::net::SocketAddr::V4(address) => write!(f, "{}", address.ip()),
            std::net::SocketAddr::V6(address) => write!(f, "[{}]", address.ip()),
        }
    }
}

/// Writes `127.0.0.1:50632`, as [`Client`] writes it, at the start of
/// `text`; returns its length. 24 bytes hold any IPv4 address and port;
/// an IPv6 one is cut short unless `N` is at least 58.
#[cfg(feature = "logging")]
fn write_address<const N: usize>(text: &mut [u8; N], address: SocketAddr) -> usize {
    match address.ip() {
        IpAddr::V4(ip) => {
            // Each octet's digits and a dot, copied 4 bytes at a time
            // (what follows overwrites the rest).
            let mut length = 0;
            for octet in ip.octets() {
                let (digits, count) = OCTETS[usize::from(octet)];
                text[length..length + 4].copy_from_slice(&digits);
                length += count;
            }
            if address.port() == 0 {
                length - 1
            } else {
                // The last octet's dot becomes the colon.
                text[length - 1] = b':';
                length + put_digits(&mut text[length..], u32::from(address.port()))
            }
        }
        IpAddr::V6(_) => {
            // At most 58 bytes: `[` 39 `%` 10 `]:` 5.
            let mut rest = &mut text[..];
            let before = rest.len();
            drop(write!(rest, "{}", Client(address)));
            before - rest.len()
        }
    }
}

/// Appends the first `length` bytes of `text`: the whole array, then
/// truncated (a copy of a known size is a few moves; of a variable one, a
/// call to `memcpy`).
#[cfg(feature = "logging")]
fn extend_with_prefix<const N: usize>(line: &mut Vec<u8>, text: &[u8; N], length: usize) {
    let end = line.len() + length.min(N);
    line.extend_from_slice(text);
    line.truncate(end);
}

/// Each octet's decimal digits and a dot (`b"7.\0\0"`, 2), made at
/// compile time.
#[cfg(feature = "logging")]
const OCTETS: [([u8; 4], usize); 256] = {
    let mut table = [([0; 4], 0); 256];
    let mut octet = 0;
    while octet < 256 {
        let digits = [
            (octet / 100) as u8,
            (octet / 10 % 10) as u8,
            (octet % 10) as u8,
        ];
        let skip = if octet >= 100 {
            0
        } else if octet >= 10 {
            1
        } else {
            2
        };
        let mut text = [0; 4];
        let mut length = 0;
        let mut index = skip;
        while index < 3 {
            text[length] = b'0' + digits[index];
            length += 1;
            index += 1;
        }
        text[length] = b'.';
        table[octet] = (text, length + 1);
        octet += 1;
    }
    table
};

/// `HTTP/1.1`, as `Version`'s `Debug` writes it.
fn version_name(version: Version) -> &'static [u8; 8] {
    match version {
        Version::HTTP_09 => b"HTTP/0.9",
        Version::HTTP_10 => b"HTTP/1.0",
        Version::HTTP_11 => b"HTTP/1.1",
        Version::HTTP_2 => b"HTTP/2.0",
        Version::HTTP_3 => b"HTTP/3.0",
        _ => b"HTTP/?.?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines `write_access_line` writes for `target`, through a
    /// `LogWriter` into memory.
    #[cfg(feature = "logging")]
    fn written(target: Target<'_>) -> String {
        let memory = crate::http_core::written::Written::default();
        let writer = LogWriter::spawn(memory.clone(), |_| Vec::new()).unwrap();
        let remote = Peer {
            address: "203.0.113.7:0".parse().unwrap(),
            text: ([0; 24], 0),
        };
        let head = (&Method::GET, target, Version::HTTP_11);
        write_access_line(
            &writer,
            Instant::now(),
            &remote,
            head,
            StatusCode::OK,
            1_234,
        );
        assert!(writer.flush(std::time::Duration::from_secs(10)));
        memory.text()
    }

    #[cfg(feature = "logging")]
    #[test]
    fn a_line_shows_the_target_as_received_or_as_a_proxy_forwarded_it() {
        let uri: Uri = "/locate?q=1".parse().unwrap();
        let received = written(Target::Received(&uri));
        assert!(
            received.ends_with(
                " INFO phial::access: 203.0.113.7 \"GET /locate?q=1 HTTP/1.1\" 200 1.234ms\n"
            ),
            "{received}"
        );
        let forwarded = Target::Forwarded {
            scheme: "https",
            host: "example.com",
            path: "/locate?q=1",
        };
        let line = written(forwarded);
        assert!(
            line.ends_with(
                "203.0.113.7 \"GET https://example.com/locate?q=1 HTTP/1.1\" 200 1.234ms\n"
            ),
            "{line}"
        );
        // The `tracing` form (another subscriber) says the same.
        assert_eq!(forwarded.to_string(), "https://example.com/locate?q=1");
    }

    #[cfg(feature = "logging")]
    #[test]
    fn addresses_read_as_socket_addr_displays_them() {
        for address in [
            "127.0.0.1:50632",
            "10.0.255.9:1",
            "255.255.255.255:65535",
            "0.0.0.1:1",
            "[::1]:8080",
        ] {
            let address: SocketAddr = address.parse().unwrap();
            let mut text = [0; 64];
            let length = write_address(&mut text, address);
            assert_eq!(
                std::str::from_utf8(&text[..length]).unwrap(),
                address.to_string()
            );
            assert_eq!(Client(address).to_string(), address.to_string());
        }
    }

    #[cfg(feature = "logging")]
    #[test]
    fn port_0_is_left_out() {
        for (address, shown) in [
            ("127.0.0.1:0", "127.0.0.1"),
            ("255.255.255.255:0", "255.255.255.255"),
            ("[::1]:0", "[::1]"),
        ] {
            let address: SocketAddr = address.parse().unwrap();
            let mut text = [0; 64];
            let length = write_address(&mut text, address);
            assert_eq!(std::str::from_utf8(&text[..length]).unwrap(), shown);
            assert_eq!(Client(address).to_string(), shown);
        }
    }

    #[test]
    fn versions_read_as_their_debug_form() {
        for version in [Version::HTTP_10, Version::HTTP_11, Version::HTTP_2] {
            assert_eq!(
                &version_name(version)[..],
                format!("{version:?}").as_bytes()
            );
        }
    }
}
