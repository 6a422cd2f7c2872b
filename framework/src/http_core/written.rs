//! For unit tests: an output that keeps in memory what is written to it
//! (a log's lines), shared by its clones. In the lowest layer so that the
//! tests of every layer may use it.

use std::io::Write;
use std::sync::{Arc, Mutex};

/// What was written to it or any of its clones, kept in memory.
#[derive(Clone, Default)]
pub(crate) struct Written(Arc<Mutex<Vec<u8>>>);

impl Written {
    /// Everything written so far, as text.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Written {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
