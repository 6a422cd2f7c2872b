//! Ctrl-C and (on Unix) SIGTERM, counted: the first starts a graceful
//! shutdown, a second one cuts it short.

use std::future::Future;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::Error;

/// Counts the shutdown signals the process receives, from a task that
/// stops when this is dropped.
pub(crate) struct ShutdownSignals {
    received: watch::Receiver<u32>,
    counter: JoinHandle<()>,
}

impl ShutdownSignals {
    /// Installs the signal handlers (they stay installed for the life of
    /// the process: later signals no longer kill it).
    pub(crate) fn install() -> Result<Self, Error> {
        #[cfg(unix)]
        let (mut terminate, mut interrupt) = {
            use tokio::signal::unix::{signal, SignalKind};
            (
                signal(SignalKind::terminate()).map_err(Error::io)?,
                signal(SignalKind::interrupt()).map_err(Error::io)?,
            )
        };
        let (count, received) = watch::channel(0u32);
        let counter = tokio::spawn(async move {
            loop {
                #[cfg(unix)]
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
                #[cfg(not(unix))]
                if tokio::signal::ctrl_c().await.is_err() {
                    return;
                }
                count.send_modify(|count| *count += 1);
            }
        });
        Ok(Self { received, counter })
    }

    /// Completes once `count` signals have arrived in all.
    pub(crate) fn received(&self, count: u32) -> impl Future<Output = ()> + Send + 'static {
        let mut received = self.received.clone();
        async move {
            if received
                .wait_for(|received| *received >= count)
                .await
                .is_err()
            {
                std::future::pending::<()>().await;
            }
        }
    }
}

impl Drop for ShutdownSignals {
    fn drop(&mut self) {
        self.counter.abort();
    }
}
