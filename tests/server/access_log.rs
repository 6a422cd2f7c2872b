//! The access log of a real `App::run` (the seed app, `examples/cookies.rs`,
//! as a child process with stdout piped, as to a log file): every request's
//! line, in order, in the subscriber's format, all of them written out
//! before a clean shutdown (SIGINT) ends the process.

use std::time::Duration;

use super::process::ServerProcess;
use crate::support::exchange;

const REQUESTS: usize = 300;

#[tokio::test]
async fn app_run_writes_every_access_line_in_order_before_a_clean_shutdown() {
    let mut server = ServerProcess::spawn("cookies", &[]).await;
    for n in 0..REQUESTS {
        let request =
            format!("GET /user?n={n} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        let answer = exchange(server.addr, request).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    server.signal("INT");
    let status = server.exit_status(Duration::from_secs(30)).await;
    assert!(status.success(), "{status}");

    let lines = server.lines_with("phial::access");
    let targets: Vec<String> = lines
        .iter()
        .map(|line| {
            // 2026-12-06T05:22:04.643557Z  INFO phial::access: 127.0.0.1:58180 "GET /user?n=0 HTTP/1.1" 200 0.015ms
            let (stamp, rest) = line.split_once("  INFO phial::access: 127.0.0.1:").unwrap();
            assert!(stamp.len() == 27 && stamp.ends_with('Z'), "{line}");
            // The client's port, as the connection's address was
            // formatted once for all its lines.
            let (port, request) = rest.split_once(" \"GET ").unwrap();
            assert!(port.parse::<u16>().is_ok_and(|port| port != 0), "{line}");
            let (target, outcome) = request.split_once(" HTTP/1.1\" ").unwrap();
            let millis = outcome
                .strip_prefix("200 ")
                .unwrap()
                .strip_suffix("ms")
                .unwrap();
            let (whole, fraction) = millis.split_once('.').unwrap();
            assert!(
                whole.parse::<u32>().is_ok() && fraction.len() == 3,
                "{line}"
            );
            target.to_owned()
        })
        .collect();
    let expected: Vec<String> = (0..REQUESTS).map(|n| format!("/user?n={n}")).collect();
    assert_eq!(targets, expected);
    // The shutdown's own line comes after them, through the same writer.
    assert_eq!(server.lines_with("shutting down").len(), 1);
    // The seed app uses no secret key: nothing to alarm anyone at start.
    assert!(server.lines_with("ERROR").is_empty());
    assert!(server.lines_with("dropped").is_empty());
}
