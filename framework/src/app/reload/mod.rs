//! Debug mode's reloader, as `flask run --debug`: `App::run` in debug mode,
//! started by `cargo run`, becomes a supervisor. It holds the listening
//! socket, watches the workspace's sources (`notify`, debounced), rebuilds
//! with cargo on a change and starts the new build on the same socket
//! (`LISTEN_FDS`), after stopping the old one gracefully. Requests that
//! arrive meanwhile wait in the socket's queue and are answered by the new
//! build: never "connection refused". While a build is broken the
//! supervisor answers every request with the compiler's message; the next
//! good build serves again.
//!
//! Templates reload without a rebuild (debug mode reads them again when
//! they change) and static files are read per request, so only Rust
//! sources and `Cargo.toml`/`Cargo.lock` trigger one.
//!
//! Off with `PHIAL_RELOAD=0`; cargo arguments for the rebuild (features,
//! say) in `PHIAL_RELOAD_CARGO_ARGS`.

mod broken;
mod build;
mod child;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use crate::Error;
use build::Target;

/// A supervisor, ready to start.
pub(crate) struct Reloader {
    target: Target,
    /// The binary, as built (read once: after a rebuild `current_exe`
    /// names a deleted file).
    exe: PathBuf,
    /// What is watched: the workspace's root.
    root: PathBuf,
}

impl Reloader {
    /// Whether this process started by `cargo run` is an app's reloader's
    /// child.
    pub(crate) fn is_child() -> bool {
        std::env::var_os(child::CHILD).is_some()
    }

    /// The reloader `App::run` becomes: in debug mode, under `cargo run`
    /// (which says where the package is), unless turned off or already
    /// one of its children.
    pub(crate) fn wanted(debug: bool) -> Option<Self> {
        if !debug || Self::is_child() || std::env::var("PHIAL_RELOAD").is_ok_and(|v| v == "0") {
            return None;
        }
        let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
        let exe = std::env::current_exe().ok()?;
        let target = Target::of(&exe, manifest_dir)?;
        let root = target.workspace_root();
        Some(Self { target, exe, root })
    }

    /// Binds `addr` and supervises until Ctrl-C or SIGTERM.
    pub(crate) async fn supervise(self, addr: &str) -> Result<(), Error> {
        let listener = std::net::TcpListener::bind(addr).map_err(Error::io)?;
        let local: SocketAddr = listener.local_addr().map_err(Error::io)?;
        crate::app::banner::print_banner(local, true);
        let mut changes = watch::watch(&self.root, self.target.target_dir()).map_err(|error| {
            Error::io(std::io::Error::other(format!(
                "watching {}: {error}",
                self.root.display()
            )))
        })?;
        eprintln!(
            " * Restarting with reloader: watching {}",
            self.root.display()
        );
        let signals = crate::server::ShutdownSignals::install()?;
        let mut stop = std::pin::pin!(signals.received(1));
        // The first build is the one `cargo run` made.
        let mut built = Ok(());
        loop {
            let changed = match built {
                Ok(()) => {
                    let mut app = child::spawn(&self.exe, &listener).map_err(Error::io)?;
                    tokio::select! {
                        changed = changes.next() => {
                            child::stop(&mut app).await;
                            changed
                        }
                        status = app.wait() => {
                            if let Ok(status) = status {
                                eprintln!(" * The app exited ({status}); waiting for a change");
                            }
                            tokio::select! {
                                changed = changes.next() => changed,
                                () = stop.as_mut() => return Ok(()),
                            }
                        }
                        () = stop.as_mut() => {
                            child::stop(&mut app).await;
                            return Ok(());
                        }
                    }
                }
                Err(message) => {
                    tokio::select! {
                        changed = broken::serve_until(&listener, message, changes.next()) => changed,
                        () = stop.as_mut() => return Ok(()),
                    }
                }
            };
            let Some(changed) = changed else {
                return Ok(());
            };
            eprintln!(" * Detected change in '{}', rebuilding", changed.display());
            let started = Instant::now();
            built = tokio::select! {
                built = self.target.build() => built,
                () = stop.as_mut() => return Ok(()),
            };
            match &built {
                Ok(()) => eprintln!(
                    " * Rebuilt in {:.1} s, restarting",
                    started.elapsed().as_secs_f64()
                ),
                Err(message) => eprintln!(" * The build failed:\n{message}"),
            }
        }
    }
}
