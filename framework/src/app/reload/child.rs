//! Starting the app's build with the listening socket (`LISTEN_FDS=1`,
//! fd 3, as systemd passes one), and stopping it gracefully.

use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use command_fds::{CommandFdExt, FdMapping};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use tokio::process::{Child, Command};

/// Set in the environment of the app processes the reloader starts.
pub(super) const CHILD: &str = "PHIAL_RELOADER_CHILD";

/// How long a stopped app may take to finish its requests.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// Starts `exe` with this process's arguments, serving on `listener`.
pub(super) fn spawn(exe: &Path, listener: &std::net::TcpListener) -> std::io::Result<Child> {
    let socket: OwnedFd = listener.as_fd().try_clone_to_owned()?;
    let mut command = Command::new(exe);
    command
        .args(std::env::args_os().skip(1))
        .env(CHILD, "1")
        .env("LISTEN_FDS", "1")
        .env_remove("LISTEN_PID")
        .env_remove("LISTEN_FDNAMES")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
        .fd_mappings(vec![FdMapping {
            parent_fd: socket,
            child_fd: 3,
        }])
        .map_err(|error| std::io::Error::other(error.to_string()))?;
    command.spawn()
}

/// Stops the app as Ctrl-C would (SIGTERM: it stops accepting and
/// finishes its requests), killing it if it takes too long.
pub(super) async fn stop(child: &mut Child) {
    if let Some(pid) = child.id().and_then(|pid| i32::try_from(pid).ok()) {
        let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
    }
    if tokio::time::timeout(STOP_TIMEOUT, child.wait())
        .await
        .is_err()
    {
        let _ = child.kill().await;
    }
}
