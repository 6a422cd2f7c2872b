//! Debug mode's reloader end to end (issue 18): examples/hello.rs copied to
//! a crate of its own, started as `cargo run` starts it with
//! `PHIAL_DEBUG=1`, requested without pause while its handler is edited,
//! broken and fixed. Every request gets an answer (never a refused or cut
//! connection): the old text, then the compiler's message while the build
//! is broken, then the new text. The time from a save to the first new
//! answer is printed (bench/reload.sh reads it), not asserted.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Long enough for a first build of phial on a slow machine.
const FIRST_BUILD: Duration = Duration::from_secs(900);
/// Long enough for a rebuild of the one small crate.
const REBUILD: Duration = Duration::from_secs(300);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The app's crate, in a fresh temporary folder; its build in `target/`
/// of this repository (kept between runs, so only the first is slow).
fn make_crate() -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("phial-reload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let framework = repo().join("framework");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"reloaded\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nphial = {{ path = {:?}, default-features = false, features = \
             [\"logging\", \"reload\"] }}\n\n[workspace]\n",
            framework.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::copy(repo().join("examples/hello.rs"), dir.join("src/main.rs")).unwrap();
    (dir, repo().join("target/reload-test"))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// One request on a connection of its own (as a browser's first): the
/// status and body, or why there was none.
fn get(address: SocketAddr) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(address).map_err(|error| format!("connect: {error}"))?;
    stream
        .set_read_timeout(Some(REBUILD))
        .map_err(|error| error.to_string())?;
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .map_err(|error| format!("write: {error}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|error| format!("read: {error}"))?;
    let status = answer
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no answer: {answer:?}"))?;
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_owned();
    Ok((status, body))
}

/// Requests until `body` contains `wanted`; every answer must be a 200 or
/// (`broken_ok`) the build-failed page. The time the first wanted answer
/// came.
fn request_until(address: SocketAddr, wanted: &str, broken_ok: bool) -> (Instant, usize) {
    let deadline = Instant::now() + REBUILD;
    let mut count = 0;
    loop {
        count += 1;
        let (status, body) = get(address).unwrap_or_else(|error| {
            panic!("request {count} (waiting for {wanted:?}) failed: {error}")
        });
        if body.contains(wanted) {
            return (Instant::now(), count);
        }
        let expected =
            status == 200 || (broken_ok && status == 500 && body.contains("Build failed"));
        assert!(expected, "request {count}: {status} {body}");
        assert!(Instant::now() < deadline, "{wanted:?} never came");
    }
}

fn edit(file: &Path, from: &str, to: &str) -> Instant {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{from:?} not in {text}");
    std::fs::write(file, text.replace(from, to)).unwrap();
    Instant::now()
}

struct Supervisor(Child);

impl Drop for Supervisor {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

#[test]
fn edits_are_served_by_the_new_build_with_no_failed_request() {
    let (dir, target) = make_crate();
    let built = Command::new(cargo())
        .args(["build", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .unwrap();
    assert!(built.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // As `cargo run` starts it: CARGO_MANIFEST_DIR says where the crate is.
    let mut child = Command::new(target.join("debug/reloaded"))
        .current_dir(&dir)
        .env("CARGO_MANIFEST_DIR", &dir)
        .env("CARGO", cargo())
        .env("PHIAL_DEBUG", "1")
        .env("PORT", port.to_string())
        .env_remove("PHIAL_RELOAD")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _supervisor = Supervisor(child);
    let (lines, banner) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("[app] {line}");
            let _ = lines.send(line);
        }
    });
    let mut seen = Vec::new();
    while !seen
        .iter()
        .any(|line: &String| line.starts_with(" * Restarting with reloader"))
    {
        seen.push(
            banner
                .recv_timeout(FIRST_BUILD)
                .expect("no reloader banner"),
        );
    }
    assert!(seen.contains(&" * Debug mode: on".to_owned()), "{seen:?}");
    assert!(
        seen.iter()
            .any(|line| line.starts_with("WARNING: debug mode")),
        "{seen:?}"
    );
    let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    request_until(address, "Hello, World!", false);

    let source = dir.join("src/main.rs");
    let saved = edit(&source, "Hello, World!", "Hello, reloaded!");
    let (answered, count) = request_until(address, "Hello, reloaded!", false);
    println!(
        "reload: save to first new answer {:.2} s ({count} requests, none failed)",
        (answered - saved).as_secs_f64()
    );

    // A broken build: its message on every page, then a good build again.
    edit(&source, "fn hello_world()", "fn hello_world( {");
    request_until(address, "Build failed", true);
    let answer = get(address).unwrap();
    assert_eq!(answer.0, 500);
    assert!(answer.1.contains("src/main.rs"), "{}", answer.1);
    edit(&source, "fn hello_world( {", "fn hello_world()");
    request_until(address, "Hello, reloaded!", true);
    let _ = std::fs::remove_dir_all(&dir);
}
