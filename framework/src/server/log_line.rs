//! Log lines written without going through `tracing`, in the form the
//! log subscriber writes its own (`tracing-subscriber`'s default format,
//! without colours), so the log reads as one:
//!
//! ```text
//! 2026-12-06T05:22:04.643557Z  INFO phial::access: 127.0.0.1:58180 "GET /user HTTP/1.1" 200 0.015ms
//! ```

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a [`Clock`] counts from one reading of the wall clock before
/// it reads it again (so a change of the system time shows within this).
const REANCHOR: Duration = Duration::from_secs(1);

/// The wall-clock time of an [`Instant`], without a second clock reading
/// per line: the wall clock is read once per [`REANCHOR`] and the
/// monotonic time since added to it. Keeps the text of the last second.
#[derive(Debug)]
pub(crate) struct Clock {
    /// An instant and the wall-clock time at it, since the epoch.
    anchor: Option<(Instant, Duration)>,
    /// The last second written (`u64::MAX`: none yet), and its
    /// `2026-12-06T05:22:04`.
    second: u64,
    second_text: [u8; 19],
}

impl Clock {
    /// A clock that reads the wall clock on first use.
    pub(crate) const fn new() -> Self {
        Self {
            anchor: None,
            second: u64::MAX,
            second_text: [0; 19],
        }
    }

    /// The wall-clock time at `now`, since the epoch.
    fn since_epoch(&mut self, now: Instant) -> Duration {
        if let Some((anchor, at_anchor)) = self.anchor {
            if let Some(since) = now.checked_duration_since(anchor) {
                if since < REANCHOR {
                    return at_anchor + since;
                }
            }
        }
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        self.anchor = Some((now, wall));
        wall
    }

    /// Writes the time at `now` as `2026-12-06T05:22:04.643557Z` (UTC,
    /// microseconds).
    pub(crate) fn write_timestamp(&mut self, line: &mut Vec<u8>, now: Instant) {
        let since_epoch = self.since_epoch(now);
        self.write_wall_time(line, since_epoch);
    }

    fn write_wall_time(&mut self, line: &mut Vec<u8>, since_epoch: Duration) {
        let seconds = since_epoch.as_secs();
        if seconds != self.second {
            self.second = seconds;
            self.second_text = date_time(seconds);
        }
        line.extend_from_slice(&self.second_text);
        let mut fraction = *b".000000Z";
        put_fixed(&mut fraction[1..7], since_epoch.subsec_micros());
        line.extend_from_slice(&fraction);
    }
}

/// `seconds` since the epoch as `2026-12-06T05:22:04` (UTC).
fn date_time(seconds: u64) -> [u8; 19] {
    let at = i64::try_from(seconds)
        .ok()
        .and_then(|seconds| time::OffsetDateTime::from_unix_timestamp(seconds).ok())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let mut text = *b"0000-00-00T00:00:00";
    put_fixed(&mut text[0..4], u32::try_from(at.year()).unwrap_or(0));
    put_fixed(&mut text[5..7], u32::from(u8::from(at.month())));
    put_fixed(&mut text[8..10], u32::from(at.day()));
    put_fixed(&mut text[11..13], u32::from(at.hour()));
    put_fixed(&mut text[14..16], u32::from(at.minute()));
    put_fixed(&mut text[17..19], u32::from(at.second()));
    text
}

/// Writes `value`'s decimal digits at the start of `out` (which must hold
/// them: 10 bytes hold any `u32`); returns how many.
pub(crate) fn put_digits(out: &mut [u8], value: u32) -> usize {
    let count = value.checked_ilog10().map_or(1, |log| log as usize + 1);
    put_fixed(&mut out[..count], value);
    count
}

/// Fills `out` with the last `out.len()` decimal digits of `value`, with
/// leading zeros; two digits at a time, from a table (as `itoa` does).
pub(crate) fn put_fixed(out: &mut [u8], mut value: u32) {
    const PAIRS: &[u8; 200] = b"\
        0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut end = out.len();
    while end >= 2 {
        let pair = (value % 100) as usize * 2;
        out[end - 2..end].copy_from_slice(&PAIRS[pair..pair + 2]);
        value /= 100;
        end -= 2;
    }
    if end == 1 {
        out[0] = b'0' + (value % 10) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_the_subscriber_writes_them() {
        let mut line = Vec::new();
        let mut clock = Clock::new();
        clock.write_wall_time(&mut line, Duration::from_micros(1_796_534_524_043_557));
        assert_eq!(line, b"2026-12-06T05:22:04.043557Z");
        line.clear();
        clock.write_wall_time(&mut line, Duration::from_micros(1_796_534_525_000_001));
        assert_eq!(line, b"2026-12-06T05:22:05.000001Z");
    }

    #[test]
    fn the_clock_follows_the_wall_clock() {
        let mut clock = Clock::new();
        let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let start = Instant::now();
        let first = clock.since_epoch(start);
        let later = clock.since_epoch(start + Duration::from_millis(250));
        assert!(first >= before);
        assert_eq!(later - first, Duration::from_millis(250));
        // Read again once the anchor is a second old.
        let much_later = clock.since_epoch(start + Duration::from_secs(5));
        let after = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        assert!(much_later <= after, "{much_later:?} > {after:?}");
    }

    #[test]
    fn numbers_are_written_whole_or_padded() {
        let mut out = [b'-'; 12];
        assert_eq!(put_digits(&mut out, 0), 1);
        assert_eq!(&out[..2], b"0-");
        assert_eq!(put_digits(&mut out, 4_294_967_295), 10);
        assert_eq!(&out[..11], b"4294967295-");
        let mut fixed = *b"xxx";
        put_fixed(&mut fixed, 42);
        assert_eq!(&fixed, b"042");
        put_fixed(&mut fixed, 12345);
        assert_eq!(&fixed, b"345");
    }
}
