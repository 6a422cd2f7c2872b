//! Debian's `chromium`, driven through one `chromedriver` per test run:
//! finding them, starting the driver on a free loopback port, one headless
//! browser session (with its own fresh profile) per test, and stopping
//! everything this run started, by handle.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// What to do when the browser or its driver is missing.
const INSTALL: &str = "the browser tests need Debian's Chromium and its WebDriver: \
     run `apt-get install chromium chromium-driver` (or point CHROMIUM and CHROMEDRIVER \
     at the binaries), or leave out `--features browser-tests`";

/// The flags issue 6 asks for: headless, and quiet on a closed network
/// (without the background-networking flags Chromium keeps dialing out).
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
];

/// How long the driver may take to answer on its port.
const DRIVER_STARTUP: Duration = Duration::from_secs(20);

/// How long a click may take to lead to a loaded page.
const NAVIGATION: Duration = Duration::from_secs(15);

/// A `chromedriver` process this run started, and the Chromium it launches.
pub struct Chromedriver {
    child: Child,
    url: String,
    chromium: PathBuf,
}

impl Chromedriver {
    /// Finds `chromedriver` and `chromium` (env `CHROMEDRIVER`/`CHROMIUM`,
    /// else `PATH`) and starts the driver on a free 127.0.0.1 port.
    ///
    /// # Errors
    ///
    /// Says what to install when either binary is missing, or why the
    /// driver did not come up.
    pub fn start() -> Result<Self, String> {
        let driver = find_binary("CHROMEDRIVER", &["chromedriver"])?;
        let chromium = find_binary("CHROMIUM", &["chromium", "chromium-browser"])?;
        let port = free_port().map_err(|e| format!("no free loopback port: {e}"))?;
        let log = target_dir().join("browser-tests").join("chromedriver.log");
        std::fs::create_dir_all(log.parent().expect("has a parent")).ok();
        let mut child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}: {INSTALL}", driver.display()))?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        while std::net::TcpStream::connect(addr).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!(
                    "{} exited at startup ({status}); see {}",
                    driver.display(),
                    log.display()
                ));
            }
            if started.elapsed() > DRIVER_STARTUP {
                child.kill().ok();
                child.wait().ok();
                return Err(format!(
                    "{} did not listen on {addr} within {DRIVER_STARTUP:?}",
                    driver.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Self {
            child,
            url: format!("http://{addr}"),
            chromium,
        })
    }

    /// Opens a headless Chromium with a fresh, empty profile.
    pub async fn browser(&self) -> Result<Browser, String> {
        static SESSIONS: AtomicUsize = AtomicUsize::new(0);
        let n = SESSIONS.fetch_add(1, Ordering::Relaxed);
        let profile =
            std::env::temp_dir().join(format!("phial-browser-{}-{n}", std::process::id()));
        std::fs::remove_dir_all(&profile).ok();
        std::fs::create_dir_all(&profile).map_err(|e| format!("{}: {e}", profile.display()))?;
        let mut args: Vec<String> = FLAGS.iter().map(|flag| (*flag).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": self.chromium,
                "args": args,
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .map_err(|e| {
                format!(
                    "chromedriver could not start {}: {e}; see {}",
                    self.chromium.display(),
                    target_dir()
                        .join("browser-tests/chromedriver.log")
                        .display()
                )
            })?;
        Ok(Browser { client, profile })
    }

    /// Stops the driver this run started (by its handle).
    pub fn stop(mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// One headless Chromium session with its own profile directory.
#[derive(Clone)]
pub struct Browser {
    client: Client,
    profile: PathBuf,
}

impl Browser {
    /// The WebDriver client, for what the helpers below don't cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Loads `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    }

    /// The rendered text of the page's body, as a user reads it.
    pub async fn text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .expect("the page has a body")
            .text()
            .await
            .expect("the body's text")
    }

    /// Loads `url` and returns the text of the page.
    pub async fn text_of(&self, url: &str) -> String {
        self.goto(url).await;
        self.text().await
    }

    /// The page's `document.cookie`: what scripts on it can read.
    pub async fn document_cookie(&self) -> String {
        self.script("return document.cookie").await
    }

    /// Runs `script` in the page and returns its result as a string.
    pub async fn script(&self, script: &str) -> String {
        match self.client.execute(script, Vec::new()).await {
            Ok(Value::String(text)) => text,
            Ok(Value::Null) => String::new(),
            Ok(other) => other.to_string(),
            Err(e) => panic!("script {script:?} failed: {e}"),
        }
    }

    /// Clicks the element `css` selects (a link, a button) and waits until
    /// the page it leads to has loaded (a click doesn't wait for that, and
    /// a form may post to the URL it was loaded from).
    pub async fn click(&self, css: &str) {
        self.script("window.__phial_old_page = true").await;
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css:?}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click on {css:?}: {e}"));
        let started = Instant::now();
        loop {
            // Errors while the old page goes away are expected: try again.
            let loaded = self
                .client
                .execute(
                    "return !window.__phial_old_page && document.readyState === 'complete'",
                    Vec::new(),
                )
                .await;
            if matches!(loaded, Ok(Value::Bool(true))) {
                return;
            }
            assert!(
                started.elapsed() < NAVIGATION,
                "clicking {css:?} led to no new page within {NAVIGATION:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Types `text` into the field `css` selects.
    pub async fn fill(&self, css: &str, text: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no field {css:?}: {e}"))
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into {css:?}: {e}"));
    }

    /// Saves a PNG of the current page as `target/browser-tests/{name}.png`
    /// and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("a screenshot");
        let path = target_dir()
            .join("browser-tests")
            .join(format!("{name}.png"));
        std::fs::create_dir_all(path.parent().expect("has a parent")).unwrap();
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Ends the session (Chromium quits) and removes the profile.
    pub async fn close(self) {
        self.client.close().await.ok();
        std::fs::remove_dir_all(&self.profile).ok();
    }
}

/// `var` if set, else the first of `names` found on `PATH`.
fn find_binary(var: &str, names: &[&str]) -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(var) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("{var}={} is not a file: {INSTALL}", path.display()))
        };
    }
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    names
        .iter()
        .find_map(|name| {
            std::env::split_paths(&dirs)
                .map(|dir| dir.join(name))
                .find(|path| path.is_file())
        })
        .ok_or_else(|| format!("{} is not on PATH: {INSTALL}", names[0]))
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// Cargo's target directory: this binary is `target/<profile>/deps/browser-*`.
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"))
}
