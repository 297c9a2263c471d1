//! Helpers for Voci's end-to-end tests: a real collector on port 0, a network switch in front
//! of it, and real headless Chromium driven through ChromeDriver.
//!
//! # Layout
//!
//! - [`spawn_collector`]: the collector with the repository's `surveys/`, a temporary database
//!   and the built app (`VOCI_DIST`, set by `cargo xtask test`).
//! - [`NetSwitch`]: a TCP forwarder the browser talks to; switching it off is the network going
//!   away (connections refused, open ones cut) while the collector keeps running.
//! - [`Browser`]: ChromeDriver + Chromium with the flags this machine needs, plus waiting helpers.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_owned()
}

/// The built app, which the browser tests need; `cargo xtask test` builds it and sets VOCI_DIST.
pub fn dist_dir() -> PathBuf {
    let dist = std::env::var_os("VOCI_DIST").map_or_else(|| root().join("dist"), PathBuf::from);
    assert!(
        dist.join("index.html").exists() && dist.join("sw.js").exists(),
        "the app is not built in {}: run the browser tests with `cargo xtask test`",
        dist.display()
    );
    dist
}

/// A collector running in this process on 127.0.0.1 with its own temporary database.
pub struct Collector {
    pub url: String,
    pub addr: SocketAddr,
    pub token: String,
    pub data: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

pub async fn spawn_collector() -> Collector {
    let data = tempfile::tempdir().expect("a temporary directory");
    let config = voci_server::Config {
        surveys_dir: root().join("surveys"),
        data_dir: data.path().to_owned(),
        app_dir: dist_dir(),
    };
    let opened = voci_server::open(&config).expect("the collector opens");
    let token = opened
        .new_admin_token
        .expect("a new database prints an admin token");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    let addr = listener.local_addr().expect("a local address");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        voci_server::run(listener, opened.state, async {
            let _ = rx.await;
        })
        .await
        .expect("the collector runs");
    });
    Collector {
        url: format!("http://{addr}"),
        addr,
        token,
        data,
        shutdown: Some(tx),
        task,
    }
}

impl Collector {
    /// The survey's CSV, downloaded with the admin token, parsed into rows of cells (header first).
    pub async fn csv(&self, survey: &str) -> Vec<Vec<String>> {
        let body = reqwest::Client::new()
            .get(format!("{}/api/surveys/{survey}/responses.csv", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("the collector answers")
            .error_for_status()
            .expect("the CSV download succeeds")
            .text()
            .await
            .expect("a CSV body");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| {
                r.expect("a well-formed CSV record")
                    .iter()
                    .map(str::to_owned)
                    .collect()
            })
            .collect()
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// A TCP forwarder in front of the collector: the browser's network.
pub struct NetSwitch {
    pub url: String,
    on: Arc<AtomicBool>,
    live: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl NetSwitch {
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("a local address");
        let on = Arc::new(AtomicBool::new(true));
        let live: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let accept = tokio::spawn({
            let (on, live) = (on.clone(), live.clone());
            async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    if !on.load(Ordering::SeqCst) {
                        // Network down: the connection dies at once, like an unreachable host.
                        drop(client);
                        continue;
                    }
                    let conn = tokio::spawn(async move {
                        if let Ok(mut server) = TcpStream::connect(upstream).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    });
                    let mut live = live.lock().expect("not poisoned");
                    live.retain(|h| !h.is_finished());
                    live.push(conn);
                }
            }
        });
        Self {
            url: format!("http://{addr}"),
            on,
            live,
            accept,
        }
    }

    /// Cuts every open connection and refuses new ones.
    pub fn off(&self) {
        self.on.store(false, Ordering::SeqCst);
        for h in self.live.lock().expect("not poisoned").drain(..) {
            h.abort();
        }
    }

    pub fn on(&self) {
        self.on.store(true, Ordering::SeqCst);
    }
}

impl Drop for NetSwitch {
    fn drop(&mut self) {
        self.off();
        self.accept.abort();
    }
}

/// Headless Chromium driven by a ChromeDriver this process started.
pub struct Browser {
    pub driver: WebDriver,
    chromedriver: Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn env_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

impl Browser {
    pub async fn start() -> Self {
        let chromium = env_path("VOCI_CHROMIUM", "/usr/bin/chromium");
        let chromedriver_bin = env_path("VOCI_CHROMEDRIVER", "/usr/bin/chromedriver");
        assert!(
            chromium.exists() && chromedriver_bin.exists(),
            "Chromium and ChromeDriver are needed ({} , {}): run the tests with `cargo xtask test`, which installs them",
            chromium.display(),
            chromedriver_bin.display()
        );
        let port = free_port();
        let chromedriver = Command::new(&chromedriver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let server = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while reqwest::get(format!("{server}/status")).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("a profile directory");
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&chromium.to_string_lossy())
            .expect("binary");
        for arg in [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--window-size=900,1200",
        ] {
            caps.add_arg(arg).expect("arg");
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display()))
            .expect("arg");
        let driver = WebDriver::new(&server, caps)
            .await
            .expect("a Chromium session");
        Self {
            driver,
            chromedriver,
            _profile: profile,
        }
    }

    /// Turns the browser's network emulation off or on (fires `offline`/`online` in the page).
    pub async fn set_offline(&self, offline: bool) {
        self.driver
            .cdp()
            .send_raw(
                "Network.emulateNetworkConditions",
                serde_json::json!({
                    "offline": offline,
                    "latency": 0,
                    "downloadThroughput": -1,
                    "uploadThroughput": -1
                }),
            )
            .await
            .expect("network emulation");
    }

    /// The element with `data-testid`, waiting up to 20 s for it.
    pub async fn by_testid(&self, id: &str) -> WebElement {
        self.driver
            .query(By::Css(format!("[data-testid=\"{id}\"]")))
            .wait(Duration::from_secs(20), Duration::from_millis(50))
            .first()
            .await
            .unwrap_or_else(|e| panic!("no element data-testid={id}: {e}"))
    }

    pub async fn exists(&self, id: &str) -> bool {
        !self
            .driver
            .find_all(By::Css(format!("[data-testid=\"{id}\"]")))
            .await
            .expect("find")
            .is_empty()
    }

    pub async fn click(&self, id: &str) {
        let el = self.by_testid(id).await;
        el.scroll_into_view().await.expect("scroll");
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {id}: {e}"));
    }

    pub async fn text(&self, id: &str) -> String {
        self.by_testid(id)
            .await
            .text()
            .await
            .expect("text")
            .trim()
            .to_owned()
    }

    /// Waits until the element's text is `want`, failing with what it was.
    pub async fn wait_text(&self, id: &str, want: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let got = self.text(id).await;
            if got == want {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "data-testid={id}: expected {want:?}, still {got:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until a JavaScript expression is true.
    pub async fn wait_js(&self, what: &str, expr: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let ret = self
                .driver
                .execute(&format!("return !!({expr});"), vec![])
                .await
                .expect("script");
            if ret.json().as_bool() == Some(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn quit(mut self) {
        let _ = self.driver.clone().quit().await;
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}
