//! Watching the workspace for changes that need a rebuild: Rust sources,
//! `Cargo.toml`, `Cargo.lock` (not the target directory, hidden folders or
//! `node_modules`), debounced so that one save is one rebuild.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

/// How long the files must stay quiet before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Changed files that need a rebuild, as they come.
pub(super) struct Changes {
    changed: UnboundedReceiver<PathBuf>,
    _watcher: RecommendedWatcher,
}

/// Watches every folder under `root` but `target_dir`.
pub(super) fn watch(root: &Path, target_dir: &Path) -> notify::Result<Changes> {
    let (sender, changed) = unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        ) {
            for path in event.paths.into_iter().filter(|path| needs_rebuild(path)) {
                let _ = sender.send(path);
            }
        }
    })?;
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        watcher.watch(&folder, RecursiveMode::NonRecursive)?;
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let skipped = name.to_string_lossy().starts_with('.')
                || name == "target"
                || name == "node_modules"
                || path == target_dir;
            if !skipped && entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                folders.push(path);
            }
        }
    }
    Ok(Changes {
        changed,
        _watcher: watcher,
    })
}

impl Changes {
    /// The first file of the next change, once the files are quiet.
    pub(super) async fn next(&mut self) -> Option<PathBuf> {
        let first = self.changed.recv().await?;
        while let Ok(Some(_)) = tokio::time::timeout(DEBOUNCE, self.changed.recv()).await {}
        Some(first)
    }
}

/// Whether a change to `path` needs a rebuild.
fn needs_rebuild(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("");
    name.ends_with(".rs") || name == "Cargo.toml" || name == "Cargo.lock"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_manifests_need_a_rebuild_templates_do_not() {
        assert!(needs_rebuild(Path::new("/w/src/main.rs")));
        assert!(needs_rebuild(Path::new("/w/Cargo.toml")));
        assert!(!needs_rebuild(Path::new("/w/templates/index.html")));
        assert!(!needs_rebuild(Path::new("/w/static/app.css")));
        assert!(!needs_rebuild(Path::new("/w/src/.main.rs.swp")));
    }
}
