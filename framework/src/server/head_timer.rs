//! The timer hyper runs an HTTP/1 connection's header-read timeout on,
//! armed lazily.
//!
//! hyper starts that timeout as it waits for each request's head (which
//! also closes idle keep-alive connections), and drops it once the head
//! is in: on tokio's timer, a boxed `Sleep` registered in the timer wheel
//! and taken out again for every request (~600 instructions, 4 % of what
//! phial spends on one). Here each connection keeps one tokio `Sleep`, its
//! alarm: a deadline later than the alarm leaves it as it is (a cheap
//! poll), and an alarm that goes off before the deadline it now stands
//! for is set again. The deadlines of one connection only move later, so
//! the alarm is set about once per timeout, not once per request.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::rt::{Sleep, Timer};

use super::when_woken::WhenWoken;

/// One connection's timer (hyper's HTTP/1 header-read timeout).
#[derive(Clone, Default)]
pub(super) struct HeadTimer {
    alarm: Arc<Mutex<Alarm>>,
}

/// The connection's one registered tokio timer: made at the first
/// deadline, then reset as deadlines pass. Polled only when it went off
/// or was reset (each request's poll would otherwise register the same
/// waker with it again).
type Alarm = Option<WhenWoken<Pin<Box<tokio::time::Sleep>>>>;

impl Timer for HeadTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        self.sleep_until(self.now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        Box::pin(HeadSleep {
            deadline: tokio::time::Instant::from_std(deadline),
            alarm: Arc::clone(&self.alarm),
        })
    }

    fn reset(&self, sleep: &mut Pin<Box<dyn Sleep>>, new_deadline: Instant) {
        match sleep.as_mut().downcast_mut_pin::<HeadSleep>() {
            Some(mut sleep) => sleep.deadline = tokio::time::Instant::from_std(new_deadline),
            None => *sleep = self.sleep_until(new_deadline),
        }
    }

    /// Tokio's clock, as the deadlines are (paused in tests).
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }
}

/// A deadline on the connection's alarm.
struct HeadSleep {
    deadline: tokio::time::Instant,
    alarm: Arc<Mutex<Alarm>>,
}

impl Sleep for HeadSleep {}

impl Future for HeadSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let deadline = self.deadline;
        let mut alarm = self.alarm.lock().unwrap_or_else(PoisonError::into_inner);
        let alarm = alarm
            .get_or_insert_with(|| WhenWoken::new(Box::pin(tokio::time::sleep_until(deadline))));
        // Set for a later deadline (an earlier sleep's, or a future
        // one's): now for this one, so that it isn't missed.
        if alarm.get_ref().deadline() > deadline {
            alarm.get_mut().as_mut().reset(deadline);
        }
        // The alarm is set for this deadline or an earlier one: while it
        // hasn't gone off, this deadline hasn't passed either (no clock
        // reading on the way: this poll comes with every request).
        while Pin::new(&mut *alarm).poll(cx).is_ready() {
            if tokio::time::Instant::now() >= deadline {
                return Poll::Ready(());
            }
            // It went off for an earlier deadline: set for this one, which
            // is still ahead, and wait.
            alarm.get_mut().as_mut().reset(deadline);
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Waits for `sleep`, due at `due`: it must go off then, to the timer
    /// wheel's millisecond (the clock is paused: an hour passes at once).
    async fn goes_off_at(timer: &HeadTimer, sleep: Pin<Box<dyn Sleep>>, due: Instant) {
        tokio::time::timeout(Duration::from_secs(3600), sleep)
            .await
            .expect("never went off");
        let now = timer.now();
        assert!(
            now >= due && now - due < Duration::from_millis(2),
            "off at the wrong time"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_deadline_goes_off_when_due_however_the_alarm_was_set() {
        let timer = HeadTimer::default();
        // Deadlines moving later, as one connection's requests make them:
        // none goes off early, though the alarm was set for the first.
        for _ in 0..3 {
            let mut sleep = timer.sleep_until(timer.now() + Duration::from_secs(10));
            let early = tokio::time::timeout(Duration::from_secs(9), &mut sleep).await;
            assert!(early.is_err(), "went off early");
        }
        // The alarm is set for an earlier deadline than this one.
        let due = timer.now() + Duration::from_secs(5);
        goes_off_at(&timer, timer.sleep_until(due), due).await;
        // And for a later one.
        let mut far = timer.sleep_until(timer.now() + Duration::from_secs(60));
        std::future::poll_fn(|cx| {
            assert!(far.as_mut().poll(cx).is_pending());
            Poll::Ready(())
        })
        .await;
        // (The alarm went off for the last deadline: the next ones are
        // kept all the same.)
        let due = timer.now() + Duration::from_secs(1);
        goes_off_at(&timer, timer.sleep_until(due), due).await;
        // A reset deadline is the one that counts.
        let mut sleep = timer.sleep_until(timer.now() + Duration::from_secs(1));
        let due = timer.now() + Duration::from_secs(3);
        timer.reset(&mut sleep, due);
        goes_off_at(&timer, sleep, due).await;
    }
}
