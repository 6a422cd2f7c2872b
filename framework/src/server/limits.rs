//! The server's limits and timeouts.

use std::time::Duration;

/// Timeouts are added to `Instant::now()`, which panics on overflow (in
/// hyper and tokio): a timeout meant as "never" is capped to a year.
pub(crate) const LONGEST_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// Limits and timeouts, with defaults that protect a server nobody tuned.
/// The server enforces them; the app sets them.
#[derive(Clone, Debug)]
pub(crate) struct Limits {
    pub(crate) max_body_size: usize,
    pub(crate) max_header_size: usize,
    pub(crate) max_headers: usize,
    pub(crate) max_query_params: usize,
    pub(crate) header_read_timeout: Duration,
    pub(crate) body_read_timeout: Duration,
    pub(crate) write_timeout: Duration,
    pub(crate) shutdown_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_size: 16 * 1024 * 1024,
            max_header_size: 80 * 1024,
            max_headers: 100,
            max_query_params: 1000,
            header_read_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(30),
            shutdown_timeout: Duration::from_secs(30),
        }
    }
}
