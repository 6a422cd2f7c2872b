//! Accepting connections until the shutdown signal, then draining them:
//! the server's main loop.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinError, JoinSet};

use super::connection::serve_connection;
use super::serve::Serve;

/// Serves `service` on `listener` until `signal`, then drains the
/// connections until they are done, the shutdown timeout passes, or
/// `force` completes.
pub(crate) async fn serve<S: Serve>(
    service: Arc<S>,
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send,
    force: impl Future<Output = ()> + Send,
) {
    let (stopping_tx, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut accept_failures = AcceptFailures::default();
    tokio::pin!(signal);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, remote)) => {
                    accept_failures.recovered();
                    let service = Arc::clone(&service);
                    let stopping = stopping.clone();
                    connections.spawn(serve_connection(service, stream, remote, stopping));
                }
                // A client that gave up before the accept: not our
                // problem.
                Err(error) if is_connection_error(&error) => {
                    tracing::debug!("accept failed: {error}");
                }
                Err(error) => {
                    // Out of file descriptors, say: keep serving the
                    // connections we have, try again shortly (the
                    // waiting client stays in the listen backlog).
                    accept_failures.failed(&error);
                    tokio::time::sleep(ACCEPT_RETRY).await;
                }
            },
            Some(ended) = connections.join_next() => log_task_end(ended),
            () = &mut signal => break,
        }
    }
    drop(listener);
    let _ = stopping_tx.send(true);
    let deadline = service.limits().shutdown_timeout;
    tracing::info!("shutting down: waiting up to {deadline:?} for in-flight requests");
    // Each connection closes once its in-flight requests are answered.
    let cut_short = tokio::select! {
        () = async {
            while let Some(ended) = connections.join_next().await {
                log_task_end(ended);
            }
        } => None,
        () = tokio::time::sleep(deadline) => Some("shutdown deadline passed"),
        () = force => Some("second shutdown signal"),
    };
    if let Some(reason) = cut_short {
        tracing::warn!(
            "{reason}; closing {} remaining connection(s)",
            connections.len()
        );
        // Dropping a connection's task closes its socket: the handler's
        // future is dropped with it.
        connections.abort_all();
        while let Some(ended) = connections.join_next().await {
            log_task_end(ended);
        }
    }
}

/// How long the accept loop waits after a failure that is not the client's
/// doing: long enough not to spin while out of file descriptors.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// How often a run of accept failures is logged while it lasts.
const ACCEPT_FAILURE_LOG_INTERVAL: Duration = Duration::from_secs(10);

/// Logs a run of accept failures (running out of file descriptors, say)
/// without flooding the log: the first failure, then a count every
/// [`ACCEPT_FAILURE_LOG_INTERVAL`], then the recovery.
#[derive(Debug, Default)]
struct AcceptFailures {
    /// When the run started and was last logged, and the failures since.
    run: Option<(Instant, Instant, u64)>,
}

impl AcceptFailures {
    fn failed(&mut self, error: &std::io::Error) {
        let now = Instant::now();
        match &mut self.run {
            None => {
                tracing::error!(
                    "accept failed: {error}; serving the open connections, retrying every {ACCEPT_RETRY:?}"
                );
                self.run = Some((now, now, 0));
            }
            Some((_, logged, since)) => {
                *since += 1;
                if now.duration_since(*logged) >= ACCEPT_FAILURE_LOG_INTERVAL {
                    tracing::error!("accept still failing: {error} ({since} more failures)");
                    *logged = now;
                    *since = 0;
                }
            }
        }
    }

    fn recovered(&mut self) {
        if let Some((started, _, _)) = self.run.take() {
            tracing::info!(
                "accepting connections again after {:?} of failures",
                started.elapsed()
            );
        }
    }
}

fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    )
}

/// Logs a connection task that panicked (a bug in phial or hyper: the
/// handler's own panics are caught and answered 500 before this).
fn log_task_end(ended: Result<(), JoinError>) {
    if let Err(error) = ended {
        if error.is_panic() {
            tracing::error!("a connection task panicked: {error}");
        }
    }
}
