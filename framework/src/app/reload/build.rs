//! Rebuilding the app the way `cargo run` built it: the same binary or
//! example, profile and target directory, read off the binary's path
//! (`<target>/<profile>/examples/<name>`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// What to build, and where.
pub(super) struct Target {
    cargo: OsString,
    manifest_dir: PathBuf,
    target_dir: PathBuf,
    args: Vec<String>,
}

impl Target {
    /// The build that made `exe`, if it sits where cargo puts binaries.
    pub(super) fn of(exe: &Path, manifest_dir: PathBuf) -> Option<Self> {
        let parent = exe.parent()?;
        let is_example = parent.file_name()? == "examples";
        let profile_dir = if is_example { parent.parent()? } else { parent };
        let profile = profile_dir.file_name()?.to_str()?;
        let target_dir = profile_dir.parent()?.to_path_buf();
        let name = exe.file_stem()?.to_str()?.to_owned();
        let mut args = vec![
            "build".to_owned(),
            "--message-format".to_owned(),
            "short".to_owned(),
        ];
        args.push(if is_example { "--example" } else { "--bin" }.to_owned());
        args.push(name);
        match profile {
            "debug" => {}
            "release" => args.push("--release".to_owned()),
            other => args.extend(["--profile".to_owned(), other.to_owned()]),
        }
        if let Ok(extra) = std::env::var("PHIAL_RELOAD_CARGO_ARGS") {
            args.extend(extra.split_whitespace().map(str::to_owned));
        }
        Some(Self {
            cargo: std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()),
            manifest_dir,
            target_dir,
            args,
        })
    }

    /// The target directory (not watched).
    pub(super) fn target_dir(&self) -> &Path {
        &self.target_dir
    }

    /// The workspace's root (what is watched): the target directory's
    /// parent when that holds a `Cargo.toml`, else the package's folder.
    pub(super) fn workspace_root(&self) -> PathBuf {
        match self.target_dir.parent() {
            Some(root) if root.join("Cargo.toml").is_file() => root.to_path_buf(),
            _ => self.manifest_dir.clone(),
        }
    }

    /// Builds; the compiler's messages if the build fails.
    pub(super) async fn build(&self) -> Result<(), String> {
        let output = tokio::process::Command::new(&self.cargo)
            .args(&self.args)
            .current_dir(&self.manifest_dir)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|error| format!("cargo could not run: {error}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_is_read_off_the_binarys_path() {
        let target = Target::of(
            Path::new("/w/target/debug/examples/flaskr"),
            PathBuf::from("/w/framework"),
        )
        .unwrap();
        assert_eq!(target.args[3..], ["--example", "flaskr"]);
        assert_eq!(target.target_dir, Path::new("/w/target"));
        let target = Target::of(Path::new("/w/target/release/app"), PathBuf::from("/w")).unwrap();
        assert_eq!(target.args[3..], ["--bin", "app", "--release"]);
        let target = Target::of(Path::new("/t/profiling/app"), PathBuf::from("/w")).unwrap();
        assert_eq!(target.args[3..], ["--bin", "app", "--profile", "profiling"]);
    }
}
