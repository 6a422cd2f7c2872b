//! What closes a connection besides its own end, and what it counts on
//! the way: its requests in flight (which a streamed body holds, and
//! ends at shutdown), the first request's deadline, the server's stop
//! (the request being answered first), and, for HTTP/2, idleness.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper_util::server::graceful::GracefulConnection;
use sync_wrapper::SyncWrapper;
use tokio::sync::watch;

use super::limits::{Limits, LONGEST_TIMEOUT};
use super::when_woken::WhenWoken;
use crate::http_core::response::Held;

/// How long a connection that has sent no request yet may take to send
/// its first once the server is shutting down: a client that has just
/// connected is answered (a restart loses no request), one that stays
/// silent doesn't hold the shutdown up.
pub(super) const SHUTDOWN_GRACE: Duration = Duration::from_millis(250);

/// Logs a connection closed for a request head that didn't come in time.
pub(super) fn log_head_overdue(config: &Limits, remote: SocketAddr) {
    tracing::info!(
        "{remote}: closed, request head not received within {:?}",
        config.header_read_timeout
    );
}

/// The requests on one connection.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Requests {
    in_flight: usize,
    received: u64,
}

/// A connection's count of requests in flight, and the server's signal
/// to stop, shared by its requests (one `Arc` for both: no more per
/// request than the count alone).
pub(super) struct Counted {
    pub(super) requests: watch::Sender<Requests>,
    pub(super) stopping: watch::Receiver<bool>,
}

/// Counts a request in flight on its connection while alive; held by a
/// streamed response body, which it ends when the server stops (a stream
/// of server-sent events would otherwise hold the shutdown up to its
/// timeout, and the reloader's restart with it).
///
/// Waiters are woken only for what they wait on: the first request, and
/// (with `close_idle`) the connection turning busy or idle. Waking on every
/// request cost ~600 instructions a request (tokio's watch notifies eight
/// queues), about 4% of what phial spent on one.
pub(super) struct InFlight {
    counted: Arc<Counted>,
    close_idle: bool,
    /// Made when a streamed body first asks whether to stop.
    stopped: Option<SyncWrapper<Pin<Box<dyn Future<Output = ()> + Send>>>>,
}

impl InFlight {
    pub(super) fn enter(counted: Arc<Counted>, close_idle: bool) -> Self {
        counted.requests.send_if_modified(|requests| {
            requests.in_flight += 1;
            requests.received += 1;
            requests.received == 1 || (close_idle && requests.in_flight == 1)
        });
        Self {
            counted,
            close_idle,
            stopped: None,
        }
    }
}

impl Held for InFlight {
    fn poll_stop(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let stopped = self.stopped.get_or_insert_with(|| {
            let mut stopping = self.counted.stopping.clone();
            SyncWrapper::new(Box::pin(async move {
                // An error: the server is gone, which is a stop too.
                let _ = stopping.wait_for(|stopping| *stopping).await;
            }))
        });
        stopped.get_mut().as_mut().poll(cx)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let close_idle = self.close_idle;
        self.counted.requests.send_if_modified(|requests| {
            requests.in_flight -= 1;
            close_idle && requests.in_flight == 0
        });
    }
}

/// What a connection is closed for, besides its own end.
pub(super) struct Watch<'a, D> {
    pub(super) config: &'a Limits,
    pub(super) remote: SocketAddr,
    pub(super) stopping: watch::Receiver<bool>,
    pub(super) requests: watch::Receiver<Requests>,
    /// The first request's head is due when this completes.
    pub(super) first_head_due: Pin<&'a mut D>,
}

impl<D: Future<Output = ()>> Watch<'_, D> {
    /// Polls `connection` to its end. It is dropped if its first request
    /// doesn't arrive in time. When the server is stopping, or (with
    /// `close_idle`) the connection has had no request in flight for the
    /// header-read timeout, it is asked to close gracefully (HTTP/1: after
    /// the current response; HTTP/2: GOAWAY, then dropped if still open one
    /// more timeout later).
    ///
    /// The connection comes pinned by the caller: taken by value, it would
    /// be stored twice in this future's state (as the argument and as the
    /// pinned local), 750 bytes more per connection.
    pub(super) async fn drive<C: GracefulConnection>(
        mut self,
        mut connection: Pin<&mut C>,
        close_idle: bool,
    ) -> Result<(), C::Error> {
        let timeout = self.config.header_read_timeout;
        let remote = self.remote;
        let mut requests = self.requests.clone();
        // Asked to stop before its first request arrived, a connection
        // gets SHUTDOWN_GRACE for it, and is closed once it is answered:
        // closed at once, the request the client has just sent on it would
        // be lost, as by a restart under `run --debug`.
        let mut arrivals = self.requests.clone();
        let received = self.requests.clone();
        let mut stop_after_first = false;
        let mut grace = pin!(tokio::time::sleep(LONGEST_TIMEOUT));
        let first_overdue = async {
            let arrived = tokio::select! {
                arrived = requests.wait_for(|requests| requests.received > 0) => arrived.is_ok(),
                () = self.first_head_due.as_mut() => false,
            };
            if arrived {
                std::future::pending::<()>().await;
            }
        };
        let mut first_overdue = pin!(first_overdue);
        let went_idle = async {
            if close_idle {
                idle_for(&mut self.requests, timeout).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        let mut went_idle = pin!(went_idle);
        // Polled only when the stop comes, not at each request's wake-up.
        let stop = pin!(stopped(&mut self.stopping));
        let mut stop = WhenWoken::new(stop);
        let mut closing = false;
        loop {
            tokio::select! {
                // The connection first, the rest in order: they are rare
                // events, so fairness among them buys nothing, and the
                // random start would cost each request's wake-up.
                biased;
                result = connection.as_mut() => return result,
                () = first_overdue.as_mut() => {
                    log_head_overdue(self.config, remote);
                    return Ok(());
                }
                () = &mut stop, if !closing => {
                    closing = true;
                    if has_received(&received) {
                        connection.as_mut().graceful_shutdown();
                    } else {
                        stop_after_first = true;
                        grace.as_mut().reset(tokio::time::Instant::now() + SHUTDOWN_GRACE);
                    }
                }
                () = grace.as_mut(), if stop_after_first => {
                    tracing::debug!("{remote}: closed at shutdown, no request within {SHUTDOWN_GRACE:?}");
                    return Ok(());
                }
                () = first_request(&mut arrivals), if stop_after_first => {
                    stop_after_first = false;
                    connection.as_mut().graceful_shutdown();
                }
                () = went_idle.as_mut(), if !closing => {
                    tracing::debug!("{remote}: closed, idle for {timeout:?}");
                    connection.as_mut().graceful_shutdown();
                    return match tokio::time::timeout(timeout, connection.as_mut()).await {
                        Ok(result) => result,
                        Err(_) => Ok(()),
                    };
                }
            }
        }
    }
}

/// Whether the connection has received a request (the borrow kept out of
/// the connection's future, which must stay `Send`).
fn has_received(requests: &watch::Receiver<Requests>) -> bool {
    requests.borrow().received > 0
}

/// Completes once the connection has received a request (or is gone).
async fn first_request(requests: &mut watch::Receiver<Requests>) {
    let _ = requests.wait_for(|requests| requests.received > 0).await;
}

/// Completes when the server starts shutting down (or is gone).
pub(super) async fn stopped(stopping: &mut watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stopping| *stopping).await;
}

/// Completes once the connection has served a request and then had none
/// in flight for `timeout`.
async fn idle_for(requests: &mut watch::Receiver<Requests>, timeout: Duration) {
    loop {
        let idle = requests
            .wait_for(|requests| requests.received > 0 && requests.in_flight == 0)
            .await
            .is_ok();
        if !idle {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(timeout) => return,
            changed = requests.changed() => if changed.is_err() { return },
        }
    }
}
