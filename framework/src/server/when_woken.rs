//! A future polled only when its own wake-up has come.
//!
//! A connection's task waits on several things at once (its requests, the
//! server's stop, timeouts) and is woken for each request by its socket.
//! A `select!` polls every branch at each wake-up; the stop signal's poll
//! (tokio's `watch`: a cooperative-budget check and a lock of its waiters)
//! cost ~230 instructions a request, 1.5 % of what phial spends on one,
//! to learn each time that the server isn't stopping. Wrapped in
//! [`WhenWoken`], it is polled only after something woke it: its own
//! waker raises a flag, then wakes the task.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use futures_util::task::AtomicWaker;

/// `future`, polled at its first poll and then only after its own waker
/// was woken.
pub(super) struct WhenWoken<F> {
    future: F,
    flag: Arc<Flag>,
    /// The waker `future` is polled with: raises `flag`, wakes the task.
    waker: Waker,
}

/// Whether the wrapped future was woken, and the task to wake with it.
struct Flag {
    woken: AtomicBool,
    task: AtomicWaker,
}

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake();
    }
}

impl<F: Future + Unpin> WhenWoken<F> {
    /// Wraps `future` (pinned already: `pin!(...)`).
    pub(super) fn new(future: F) -> Self {
        let flag = Arc::new(Flag {
            woken: AtomicBool::new(true),
            task: AtomicWaker::new(),
        });
        let waker = Waker::from(Arc::clone(&flag));
        Self {
            future,
            flag,
            waker,
        }
    }
}

impl<F> WhenWoken<F> {
    /// The future, to change it (a timer to reset, say): it is polled at
    /// the next poll whether or not it was woken.
    pub(super) fn get_mut(&mut self) -> &mut F {
        self.flag.woken.store(true, Ordering::Relaxed);
        &mut self.future
    }

    /// The future, to look at.
    pub(super) fn get_ref(&self) -> &F {
        &self.future
    }
}

impl<F: Future + Unpin> Future for WhenWoken<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        // The task's waker first: a wake-up that comes after the flag is
        // read below then wakes the task for it.
        this.flag.task.register(cx.waker());
        if !this.flag.woken.swap(false, Ordering::AcqRel) {
            return Poll::Pending;
        }
        let poll = Pin::new(&mut this.future).poll(&mut Context::from_waker(&this.waker));
        if poll.is_ready() {
            // Done: it answers for itself from now on (a timer that went
            // off says so again; it won't wake anyone to say it).
            this.flag.woken.store(true, Ordering::Relaxed);
        }
        poll
    }
}

#[cfg(test)]
mod tests {
    use std::pin::pin;
    use std::task::Poll;

    use tokio::sync::watch;

    use super::*;

    /// Polls of `future` the wrapper let through.
    struct Counted<'a, F> {
        future: Pin<&'a mut F>,
        polls: &'a mut usize,
    }

    impl<F: Future> Future for Counted<'_, F> {
        type Output = F::Output;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
            *self.polls += 1;
            self.future.as_mut().poll(cx)
        }
    }

    #[tokio::test]
    async fn the_future_is_polled_first_and_then_only_when_woken() {
        let (stop, mut stopping) = watch::channel(false);
        let mut polls = 0;
        {
            let stopped = pin!(async {
                let _ = stopping.wait_for(|stopping| *stopping).await;
            });
            let mut wrapped = pin!(WhenWoken::new(Counted {
                future: stopped,
                polls: &mut polls,
            }));
            // Polled often, as a connection's task is: the first poll
            // reaches the future, the others don't.
            for _ in 0..5 {
                std::future::poll_fn(|cx| {
                    assert!(wrapped.as_mut().poll(cx).is_pending());
                    Poll::Ready(())
                })
                .await;
            }
            // Its own wake-up reaches it, and the task.
            stop.send_replace(true);
            tokio::time::timeout(std::time::Duration::from_secs(5), wrapped)
                .await
                .expect("the stop was missed");
        }
        assert_eq!(polls, 2, "polled at the start and after the stop only");
    }
}
