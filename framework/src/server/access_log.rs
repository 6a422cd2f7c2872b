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
    remote_addr: SocketAddr,
    (method, target, version): (&Method, &Uri, Version),
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
            remote_addr,
            (method, target, version),
            status,
            micros,
        );
        return;
    }
    let client = Client(remote_addr);
    tracing::info!(
        target: "phial::access",
        "{client} \"{method} {target} {}\" {} {}.{:03}ms",
        String::from_utf8_lossy(version_name(version)),
        status.as_u16(),
        micros / 1000,
        micros % 1000,
    );
}

/// Formats the line in a buffer of this thread's and appends it to the
/// log's. Fixed-length pieces are put together on the stack, so the line
/// is a handful of copies.
#[cfg(feature = "logging")]
fn write_access_line(
    writer: &LogWriter,
    now: Instant,
    remote_addr: SocketAddr,
    (method, target, version): (&Method, &Uri, Version),
    status: StatusCode,
    micros: u64,
) {
    thread_local! {
        static LINE: RefCell<(Vec<u8>, Clock)> = const { RefCell::new((Vec::new(), Clock::new())) };
    }
    LINE.with(|line| {
        let (line, clock) = &mut *line.borrow_mut();
        line.clear();
        clock.write_timestamp(line, now);
        line.extend_from_slice(b"  INFO phial::access: ");
        write_address(line, remote_addr);
        line.extend_from_slice(b" \"");
        line.extend_from_slice(method.as_str().as_bytes());
        line.push(b' ');
        match (target.scheme(), target.path_and_query()) {
            // The usual origin form: the path and query as received.
            (None, Some(path)) => line.extend_from_slice(path.as_str().as_bytes()),
            _ => drop(write!(line, "{target}")),
        }
        let mut middle = *b" HTTP/1.1\" 200 ";
        middle[1..9].copy_from_slice(version_name(version));
        put_fixed(&mut middle[11..14], u32::from(status.as_u16()));
        line.extend_from_slice(&middle);
        let mut duration = [0; 20];
        let whole = put_digits(
            &mut duration,
            u32::try_from(micros / 1000).unwrap_or(u32::MAX),
        );
        duration[whole] = b'.';
        put_fixed(&mut duration[whole + 1..whole + 4], (micros % 1000) as u32);
        duration[whole + 4..whole + 7].copy_from_slice(b"ms\n");
        extend_with_prefix(line, &duration, whole + 7);
        writer.write_line(line);
    });
}

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

/// `127.0.0.1:50632`, as [`Client`] writes it.
#[cfg(feature = "logging")]
fn write_address(line: &mut Vec<u8>, address: SocketAddr) {
    match address.ip() {
        IpAddr::V4(ip) => {
            // Each octet's digits and a dot, copied 4 bytes at a time
            // (what follows overwrites the rest).
            let mut text = [0; 28];
            let mut length = 0;
            for octet in ip.octets() {
                let (digits, count) = OCTETS[usize::from(octet)];
                text[length..length + 4].copy_from_slice(&digits);
                length += count;
            }
            if address.port() == 0 {
                length -= 1;
            } else {
                // The last octet's dot becomes the colon.
                text[length - 1] = b':';
                length += put_digits(&mut text[length..], u32::from(address.port()));
            }
            extend_with_prefix(line, &text, length);
        }
        IpAddr::V6(_) => drop(write!(line, "{}", Client(address))),
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
            let mut line = Vec::new();
            write_address(&mut line, address);
            assert_eq!(String::from_utf8(line).unwrap(), address.to_string());
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
            let mut line = Vec::new();
            write_address(&mut line, address);
            assert_eq!(String::from_utf8(line).unwrap(), shown);
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
