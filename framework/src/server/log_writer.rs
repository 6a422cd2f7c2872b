//! The log's writer: lines are appended to a buffer in memory and a thread
//! of their own writes them out in batches, so a request never waits for
//! the terminal, the pipe or the disk.
//!
//! A batch is written once it is [`BATCH_BYTES`] long or its first line is
//! [`BATCH_WAIT`] old, whichever comes first, and on [`LogWriter::flush`]
//! (the graceful shutdown). When the output can't keep up and
//! [`MAX_PENDING_BYTES`] are waiting, new lines are dropped, never waited
//! for; the writer counts them and says so in the log once it catches up.
//!
//! Why not `tracing-appender`'s `non_blocking`: it sends each line through
//! a channel as its own `Vec` (an allocation per line) and wakes its thread
//! for each one when it is idle, writes and flushes after every drain of
//! the channel (a write per line under a light load), can only be flushed
//! by dropping its guard (after which nothing more is written, and the wait
//! is cut at 100 ms and 1 s), and counts dropped lines without saying so in
//! the log. Here a line costs a lock and a copy; the thread wakes at most
//! once per batch.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// A batch is written out once its first line is this old.
pub(crate) const BATCH_WAIT: Duration = Duration::from_millis(100);

/// A batch is written out at once when it is this long.
pub(crate) const BATCH_BYTES: usize = 64 * 1024;

/// Lines that arrive while this much waits are dropped (and counted).
pub(crate) const MAX_PENDING_BYTES: usize = 4 * 1024 * 1024;

/// Appends lines to the buffer that its thread writes out (cheap to clone:
/// the clones share the buffer).
#[derive(Clone)]
pub(crate) struct LogWriter {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    /// Wakes the writing thread: a first line, a full batch, a flush.
    wake: Condvar,
    /// Wakes who waits in [`LogWriter::flush`].
    flushed: Condvar,
    max_pending: usize,
}

#[derive(Default)]
struct State {
    /// The lines not yet handed to the writing thread.
    pending: Vec<u8>,
    /// Lines dropped since the writing thread last reported them.
    dropped: u64,
    /// Flushes asked for, and the last one done (each counts up).
    flush_asked: u64,
    flush_done: u64,
}

impl LogWriter {
    /// A writer that writes to `output` from a thread of its own, named
    /// `phial-log`; `dropped_notice` words the line that reports dropped
    /// lines.
    ///
    /// # Errors
    ///
    /// If the thread can't be started.
    pub(crate) fn spawn(
        output: impl Write + Send + 'static,
        dropped_notice: fn(u64) -> Vec<u8>,
    ) -> std::io::Result<Self> {
        Self::spawn_with_limit(output, dropped_notice, MAX_PENDING_BYTES)
    }

    fn spawn_with_limit(
        mut output: impl Write + Send + 'static,
        dropped_notice: fn(u64) -> Vec<u8>,
        max_pending: usize,
    ) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            flushed: Condvar::new(),
            max_pending,
        });
        let worker = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("phial-log".to_owned())
            .spawn(move || worker.write_batches(&mut output, dropped_notice))?;
        Ok(Self { shared })
    }

    /// Appends `line` (one or more whole lines) to the buffer, or drops it
    /// if the buffer is full. Never waits for the output.
    pub(crate) fn write_line(&self, line: &[u8]) {
        self.append_with(line.len(), |pending| pending.extend_from_slice(line));
    }

    /// Lets `write` append a line of at most `length` bytes straight to
    /// the buffer (no copy of its own to make), or drops the line if the
    /// buffer can't take that many. Never waits for the output; `write`
    /// runs under the buffer's lock, so it must be quick.
    pub(crate) fn append_with(&self, length: usize, write: impl FnOnce(&mut Vec<u8>)) {
        let mut state = self.shared.lock();
        let before = state.pending.len();
        if before + length > self.shared.max_pending {
            state.dropped += 1;
            drop(state);
            // A line longer than the whole buffer, with nothing waiting:
            // the thread sleeps until woken, and must report it.
            if before == 0 {
                self.shared.wake.notify_one();
            }
            return;
        }
        write(&mut state.pending);
        let after = state.pending.len();
        drop(state);
        // The thread sleeps until a first line comes, then until the batch
        // is old or long enough: wake it for those two, not for each line.
        if before == 0 || (before < BATCH_BYTES && after >= BATCH_BYTES) {
            self.shared.wake.notify_one();
        }
    }

    /// Writes out every line appended so far and flushes the output;
    /// waits up to `timeout` for it. Returns whether it was done in time.
    pub(crate) fn flush(&self, timeout: Duration) -> bool {
        let mut state = self.shared.lock();
        state.flush_asked += 1;
        let asked = state.flush_asked;
        self.shared.wake.notify_one();
        let (state, _) = self
            .shared
            .flushed
            .wait_timeout_while(state, timeout, |state| state.flush_done < asked)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.flush_done >= asked
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding it; and a log is better than none.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The writing thread: waits for lines, gives a batch [`BATCH_WAIT`]
    /// to grow (less if it fills or a flush is asked for), writes it out.
    fn write_batches(&self, output: &mut impl Write, dropped_notice: fn(u64) -> Vec<u8>) {
        let mut batch = Vec::new();
        loop {
            let mut state = self.lock();
            while state.pending.is_empty()
                && state.dropped == 0
                && state.flush_done == state.flush_asked
            {
                state = self.wait(state);
            }
            let (mut state, _) = self
                .wake
                .wait_timeout_while(state, BATCH_WAIT, |state| {
                    state.flush_done == state.flush_asked && state.pending.len() < BATCH_BYTES
                })
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            std::mem::swap(&mut batch, &mut state.pending);
            let dropped = std::mem::take(&mut state.dropped);
            let flush = state.flush_asked;
            drop(state);
            if dropped > 0 {
                batch.extend_from_slice(&dropped_notice(dropped));
            }
            // A failed write (a closed stdout) can't be logged anywhere.
            let _ = output.write_all(&batch).and_then(|()| output.flush());
            batch.clear();
            let mut state = self.lock();
            state.flush_done = flush;
            drop(state);
            self.flushed.notify_all();
        }
    }

    fn wait<'a>(&self, state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.wake
            .wait(state)
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The tracing subscriber's output: each event is one `write_all` of its
/// whole line.
#[cfg(feature = "logging")]
impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = &'a LogWriter;

    fn make_writer(&'a self) -> Self::Writer {
        self
    }
}

impl Write for &LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_line(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output that blocks until the test lets it go, keeping what it got.
    #[derive(Clone, Default)]
    struct Gate {
        written: Arc<Mutex<Vec<u8>>>,
        open: Arc<(Mutex<bool>, Condvar)>,
    }

    impl Gate {
        fn open(&self) {
            *self.open.0.lock().unwrap() = true;
            self.open.1.notify_all();
        }

        fn text(&self) -> String {
            String::from_utf8(self.written.lock().unwrap().clone()).unwrap()
        }
    }

    impl Write for Gate {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let (open, opened) = &*self.open;
            drop(
                opened
                    .wait_while(open.lock().unwrap(), |open| !*open)
                    .unwrap(),
            );
            self.written.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn notice(dropped: u64) -> Vec<u8> {
        format!("{dropped} dropped\n").into_bytes()
    }

    #[test]
    fn flush_writes_every_line_in_order() {
        let output = Gate::default();
        output.open();
        let writer = LogWriter::spawn(output.clone(), notice).unwrap();
        let lines: Vec<String> = (0..1000).map(|n| format!("line {n}\n")).collect();
        for line in &lines {
            writer.write_line(line.as_bytes());
        }
        assert!(writer.flush(Duration::from_secs(60)));
        assert_eq!(output.text(), lines.concat());
    }

    #[test]
    fn a_full_buffer_drops_lines_without_waiting_and_says_how_many() {
        let output = Gate::default();
        let writer = LogWriter::spawn_with_limit(output.clone(), notice, 10).unwrap();
        // The output is blocked: the first batch stays with the thread
        // (once it has taken it), the buffer takes 10 bytes more.
        writer.write_line(b"first\n");
        assert!(!writer.flush(Duration::ZERO));
        // The flush asked for wakes the thread, which takes "first\n" and
        // blocks writing it; wait until the buffer is empty again.
        while !writer.shared.lock().pending.is_empty() {
            std::thread::yield_now();
        }
        writer.write_line(b"kept 1\n");
        writer.write_line(b"lost 1\n");
        writer.write_line(b"lost 2\n");
        output.open();
        assert!(writer.flush(Duration::from_secs(60)));
        assert_eq!(output.text(), "first\nkept 1\n2 dropped\n");
    }

    #[test]
    fn a_line_longer_than_the_buffer_is_dropped_and_reported() {
        let output = Gate::default();
        output.open();
        let writer = LogWriter::spawn_with_limit(output.clone(), notice, 10).unwrap();
        writer.write_line(b"far longer than ten bytes\n");
        assert!(writer.flush(Duration::from_secs(60)));
        assert_eq!(output.text(), "1 dropped\n");
    }
}
