//! phial behind a real nginx that terminates TLS and forwards with
//! `X-Forwarded-For` and `X-Forwarded-Proto`, as deployed: the access log
//! shows the client's address and `https`, and an `X-Forwarded-For` the
//! client made up is ignored. nginx, openssl and curl come from the
//! system (`.ci/run` installs them); without them this test says
//! "skipped: nginx", or fails under `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use phial::prelude::*;
use phial::ProxyFix;
use tokio::process::{Child, Command};

use crate::support::{Logs, Server, PATIENCE};

#[get("/whoami")]
fn whoami(request: &Request) -> String {
    format!("{} {}", request.remote_addr().ip(), request.scheme())
}

/// The address the client connects from: another loopback address than
/// nginx's own, so the log can't show the proxy's address by accident.
const CLIENT_IP: &str = "127.0.0.2";

#[tokio::test]
async fn nginx_forwards_the_clients_address_and_https_and_a_spoof_is_ignored() {
    let Some(tools) = Tools::find() else {
        return skip("nginx, openssl or curl is not installed");
    };
    let (logs, _guard) = Logs::capture();
    let server = Server::start(App::new().behind_proxy(ProxyFix::default()).route(whoami)).await;
    let work = std::env::temp_dir().join(format!("phial-nginx-{}", std::process::id()));
    std::fs::create_dir_all(work.join("temp")).unwrap();
    let port = free_port();
    if !make_certificate(&tools.openssl, &work).await {
        return skip("openssl could not make a certificate");
    }
    write_config(&work, port, server.addr.port());
    let mut nginx = Command::new(&tools.nginx)
        .arg("-p")
        .arg(&work)
        .arg("-c")
        .arg(work.join("nginx.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("nginx would not start");
    if !reachable(port).await {
        stop(&mut nginx).await;
        let errors = std::fs::read_to_string(work.join("error.log")).unwrap_or_default();
        return skip(&format!("nginx is unreachable on port {port}: {errors}"));
    }

    let output = Command::new(&tools.curl)
        .args(["-sk", "--max-time", "10", "--interface", CLIENT_IP])
        .args([
            "-H",
            "X-Forwarded-For: 6.6.6.6",
            "-H",
            "X-Forwarded-Proto: http",
        ])
        .arg(format!("https://127.0.0.1:{port}/whoami"))
        .output()
        .await
        .expect("curl would not run");
    stop(&mut nginx).await;
    let body = String::from_utf8_lossy(&output.stdout);
    assert_eq!(body, format!("{CLIENT_IP} https"), "curl: {output:?}");

    let line = logs
        .wait_for(&format!(
            "\"GET https://127.0.0.1:{port}/whoami HTTP/1.0\" 200"
        ))
        .await;
    assert!(
        line.contains(&format!("phial::access: {CLIENT_IP} \"GET")),
        "{line}"
    );
    assert!(!logs.text().contains("6.6.6.6"), "{}", logs.text());
    server.shut_down().await;
    let _ = std::fs::remove_dir_all(&work);
}

/// The system's nginx, openssl and curl.
struct Tools {
    nginx: PathBuf,
    openssl: PathBuf,
    curl: PathBuf,
}

impl Tools {
    fn find() -> Option<Self> {
        Some(Self {
            nginx: find("nginx")?,
            openssl: find("openssl")?,
            curl: find("curl")?,
        })
    }
}

/// `name` on `PATH`, or in `/usr/sbin` (where Debian puts nginx, off a
/// plain user's `PATH`).
fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|folder| folder.join(name))
        .find(|candidate| candidate.is_file())
}

/// Outside CI, says why the test didn't run; under `CI=true`, fails.
fn skip(reason: &str) {
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("behind nginx: {reason}");
    }
    eprintln!("skipped: nginx ({reason})");
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A self-signed certificate for nginx's TLS, in `work`.
async fn make_certificate(openssl: &Path, work: &Path) -> bool {
    Command::new(openssl)
        .args([
            "req",
            "-x509",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
        ])
        .args(["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
        .arg("-keyout")
        .arg(work.join("key.pem"))
        .arg("-out")
        .arg(work.join("cert.pem"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .is_ok_and(|status| status.success())
}

/// nginx as deployed in front of phial: TLS on `port`, forwarding to
/// `upstream` with the client's address appended to `X-Forwarded-For`
/// and the scheme in `X-Forwarded-Proto` (replacing the client's).
/// One process, no master: the test stops it with SIGKILL (and so does
/// `kill_on_drop` if the test fails), which would leave a master's worker
/// running, still listening on `port`.
fn write_config(work: &Path, port: u16, upstream: u16) {
    let work = work.display();
    let user = if is_root() { "user root;" } else { "" };
    let config = format!(
        "{user}
worker_processes 1;
master_process off;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {work}/temp/body;
  proxy_temp_path {work}/temp/proxy;
  fastcgi_temp_path {work}/temp/fastcgi;
  uwsgi_temp_path {work}/temp/uwsgi;
  scgi_temp_path {work}/temp/scgi;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {work}/cert.pem;
    ssl_certificate_key {work}/key.pem;
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"
    );
    std::fs::write(format!("{work}/nginx.conf"), config).unwrap();
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .any(|line| line.starts_with("Uid:") && line.split_whitespace().nth(1) == Some("0"))
    })
}

/// Whether something accepts connections on `port` within [`PATIENCE`].
async fn reachable(port: u16) -> bool {
    let started = tokio::time::Instant::now();
    while started.elapsed() < PATIENCE {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

async fn stop(nginx: &mut Child) {
    let _ = nginx.kill().await;
}
