//! Server-Sent Events: `cargo run --example sse`, then open
//! <http://127.0.0.1:5000/>. The page counts to 10 as the server sends
//! each number; reload it mid-way, or stop and restart the server, and
//! the browser resumes after the last number it saw (`Last-Event-ID`).

use std::time::Duration;

use phial::prelude::*;
use phial::sse::{last_event_id, Event, Sse};

/// The last number sent.
const LAST: u32 = 10;

#[route("/")]
fn index() -> &'static str {
    r#"<!doctype html>
<title>Counter</title>
<p>Count: <output id=count>...</output></p>
<script>
  const events = new EventSource("/counter");
  events.addEventListener("count", (e) => { count.value = e.data; });
  events.addEventListener("done", () => { events.close(); count.value += " (done)"; });
</script>"#
}

/// One `count` event every half second up to [`LAST`], each with its
/// number as its id, then `done`; a reconnecting browser starts after the
/// last id it saw.
#[route("/counter")]
fn counter(request: &Request) -> Sse {
    let after = last_event_id(request)
        .and_then(|id| id.parse::<u32>().ok())
        .unwrap_or(0);
    let events = futures_util::stream::unfold(after + 1, |n| async move {
        if n > LAST + 1 {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let event = if n > LAST {
            Event::data("").event("done")
        } else {
            Event::data(n.to_string()).event("count").id(n.to_string())
        };
        Some((event, n + 1))
    });
    Sse::new(events)
}

#[phial::main]
async fn main() {}
