//! An example binary run as a child process, so that its resources (RSS,
//! open file descriptors, CPU time) are its own and signals reach a real
//! `App::run`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

use crate::support::PATIENCE;

/// An example's binary, built by `cargo test` next to this test binary.
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let path = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: `cargo test --workspace` builds it, or run `cargo build --example {name}`",
        path.display()
    );
    path
}

/// A running example, its log lines collected as they come.
pub struct ServerProcess {
    pub child: Child,
    pub addr: SocketAddr,
    pub pid: u32,
    log: Arc<Mutex<Vec<String>>>,
    /// The tasks reading stdout and stderr into `log`.
    readers: Vec<JoinHandle<()>>,
}

impl ServerProcess {
    /// Starts `example` on a free port with the environment `env` and
    /// `RUST_LOG=info`.
    pub async fn spawn(example: &str, env: &[(&str, &str)]) -> Self {
        Self::spawn_with_fd_limit(example, env, None).await
    }

    /// As [`spawn`](Self::spawn), with at most `fd_limit` open file
    /// descriptors (through the shell's `ulimit -n`).
    pub async fn spawn_with_fd_limit(
        example: &str,
        env: &[(&str, &str)],
        fd_limit: Option<u32>,
    ) -> Self {
        let binary = example_binary(example);
        let mut command = match fd_limit {
            Some(limit) => {
                let mut command = Command::new("sh");
                command
                    .arg("-c")
                    .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                    .arg(binary);
                command
            }
            None => Command::new(binary),
        };
        command
            .arg("127.0.0.1:0")
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().unwrap();
        let pid = child.id().unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
        let (addr, _) = crate::support::read_banner(&mut stderr).await;
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let lines = Arc::clone(&log);
        let stdout_reader = tokio::spawn(async move {
            while let Ok(Some(line)) = stdout.next_line().await {
                lines.lock().unwrap().push(line);
            }
        });
        let lines = Arc::clone(&log);
        let stderr_reader = tokio::spawn(async move {
            while let Ok(Some(line)) = stderr.next_line().await {
                lines.lock().unwrap().push(line);
            }
        });
        Self {
            child,
            addr,
            pid,
            log,
            readers: vec![stdout_reader, stderr_reader],
        }
    }

    /// The log lines so far that contain `needle`.
    pub fn lines_with(&self, needle: &str) -> Vec<String> {
        let log = self.log.lock().unwrap();
        log.iter()
            .filter(|line| line.contains(needle))
            .cloned()
            .collect()
    }

    /// Waits (up to [`PATIENCE`]) until `count` log lines contain `needle`.
    pub async fn wait_for_lines(&self, needle: &str, count: usize) {
        let waiting = async {
            while self.lines_with(needle).len() < count {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        if tokio::time::timeout(PATIENCE, waiting).await.is_err() {
            panic!(
                "{} of {count} log lines with {needle:?} in:\n{}",
                self.lines_with(needle).len(),
                self.log.lock().unwrap().join("\n")
            );
        }
    }

    /// The server's resident set size, in KiB.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("no VmRSS")
    }

    /// How many file descriptors the server has open.
    pub fn open_fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid))
            .unwrap()
            .count()
    }

    /// The CPU time (user and system) the server has used so far.
    pub fn cpu_time(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).unwrap();
        // The fields after the command name, which is in parentheses.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .unwrap()
            .1
            .split_whitespace()
            .collect();
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        // Linux reports in USER_HZ, 100 a second on every architecture.
        Duration::from_millis(ticks * 10)
    }

    /// Waits until `open_fds` is at most `count`; panics with the last
    /// count if it doesn't get there within [`PATIENCE`].
    pub async fn wait_for_fds_at_most(&self, count: usize) {
        let waiting = async {
            while self.open_fds() > count {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        if tokio::time::timeout(PATIENCE, waiting).await.is_err() {
            panic!(
                "the server still has {} file descriptors open, {count} expected",
                self.open_fds()
            );
        }
    }

    /// Sends `signal` (`"TERM"`, `"INT"`).
    pub fn signal(&self, signal: &str) {
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &self.pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{signal} failed");
    }

    /// Waits up to `patience` for the server to exit, then for the last
    /// of its log.
    pub async fn exit_status(&mut self, patience: Duration) -> ExitStatus {
        let status = tokio::time::timeout(patience, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("the server is still running after {patience:?}"))
            .unwrap();
        for reader in self.readers.drain(..) {
            tokio::time::timeout(PATIENCE, reader)
                .await
                .expect("the server's output is still open after it exited")
                .unwrap();
        }
        status
    }

    /// Whether the server is still running.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}
