//! Helpers for Voci's end-to-end tests: a real collector on port 0, a network switch in front
//! of it, and real headless Chromium driven through ChromeDriver.
//!
//! # Layout
//!
//! - [`spawn_collector`]: the collector with the repository's `surveys/`, a temporary database
//!   and the built app (`VOCI_DIST`, set by `cargo xtask test`).
//! - [`NetSwitch`]: a TCP forwarder the browser talks to; switching it off is the network going
//!   away (connections refused, open ones cut) while the collector keeps running.
//! - [`Browser`]: ChromeDriver + Chromium with the flags this machine needs, plus waiting helpers,
//!   localStorage access, and downloads into a folder ([`Browser::start_with_downloads`]).
//! - [`wait_for_download`]: the file a download left in that folder, once complete.

use std::collections::BTreeMap;
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

/// A sample survey of `surveys/`, parsed with the core (the file must have no errors).
pub fn sample_survey(id: &str) -> voci_core::Survey {
    let path = root().join("surveys").join(format!("{id}.toml"));
    let text = std::fs::read_to_string(&path).expect("the sample survey exists");
    let (survey, diags) = voci_core::files::parse_survey(&path.to_string_lossy(), &text);
    survey.unwrap_or_else(|| panic!("the sample survey parses: {diags:?}"))
}

/// The site tree of `surveys/sites.toml`.
pub fn sample_sites() -> voci_core::SiteTree {
    let text = std::fs::read_to_string(root().join("surveys/sites.toml")).expect("sites.toml");
    let (tree, diags) = voci_core::files::parse_sites("sites.toml", &text);
    tree.unwrap_or_else(|| panic!("sites.toml parses: {diags:?}"))
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
    spawn_collector_with(&root().join("surveys")).await
}

/// A collector like [`spawn_collector`]'s, publishing the survey files of `surveys_dir`.
pub async fn spawn_collector_with(surveys_dir: &Path) -> Collector {
    spawn_collector_serving(surveys_dir, &dist_dir()).await
}

/// A collector like [`spawn_collector_with`]'s, serving the built app from `app_dir` (a copy a
/// test may change, as a new version of the app would).
pub async fn spawn_collector_serving(surveys_dir: &Path, app_dir: &Path) -> Collector {
    let data = tempfile::tempdir().expect("a temporary directory");
    let config = voci_server::Config {
        surveys_dir: surveys_dir.to_owned(),
        data_dir: data.path().to_owned(),
        app_dir: app_dir.to_owned(),
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

    /// Posts responses straight to the collector (not through the switch), as another device
    /// would; returns the per-response results.
    pub async fn post_batch(&self, responses: &[serde_json::Value]) -> serde_json::Value {
        reqwest::Client::new()
            .post(format!("{}/api/responses/batch", self.url))
            .json(&serde_json::json!({ "responses": responses }))
            .send()
            .await
            .expect("the collector answers")
            .error_for_status()
            .expect("the batch is accepted")
            .json()
            .await
            .expect("a JSON reply")
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
                            // Forward each write at once: with Nagle's algorithm a request
                            // sent in two writes waits for a delayed ACK (~40 ms) here.
                            let _ = client.set_nodelay(true);
                            let _ = server.set_nodelay(true);
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
        Self::launch(None).await
    }

    /// Like [`Browser::start`], with downloads saved into `dir` without a question, as on a
    /// youth worker's tablet.
    pub async fn start_with_downloads(dir: &Path) -> Self {
        Self::launch(Some(dir)).await
    }

    async fn launch(downloads: Option<&Path>) -> Self {
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
        if let Some(dir) = downloads {
            caps.add_experimental_option(
                "prefs",
                serde_json::json!({
                    "download.default_directory": dir,
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                }),
            )
            .expect("prefs");
        }
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

    /// Waits for a respondent's first screen and, when it is the survey's consent (or assent)
    /// screen, accepts it: afterwards the first page of questions is on screen.
    pub async fn accept_consent(&self) {
        let first = self
            .driver
            .query(By::Css("[data-testid=page], [data-testid=consent]"))
            .wait(Duration::from_secs(20), Duration::from_millis(50))
            .first()
            .await
            .expect("a consent screen or a page of questions");
        if first
            .attr("data-testid")
            .await
            .expect("attribute")
            .as_deref()
            == Some("consent")
        {
            self.click("consent-accept").await;
            self.by_testid("page").await;
        }
    }

    /// Chooses `value` in the `<select>` with this testid.
    pub async fn select(&self, testid: &str, value: &str) {
        thirtyfour::components::SelectElement::new(&self.by_testid(testid).await)
            .await
            .expect("a select")
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{testid}: no option {value}: {e}"));
    }

    /// Replaces the text of the field with this testid by `text`, as typed.
    pub async fn type_into(&self, testid: &str, text: &str) {
        let el = self.by_testid(testid).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clear {testid}: {e}"));
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {testid}: {e}"));
    }

    /// Whether the checkbox or radio button with this testid is ticked.
    pub async fn is_ticked(&self, testid: &str) -> bool {
        self.by_testid(testid)
            .await
            .is_selected()
            .await
            .unwrap_or_else(|e| panic!("state of {testid}: {e}"))
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

    /// Runs `script` in every page this tab opens from now on, before the page's own scripts
    /// (to take an API away, as an older browser would not have it).
    pub async fn before_each_page(&self, script: &str) {
        let cdp = self.driver.cdp();
        cdp.send_raw("Page.enable", serde_json::json!({}))
            .await
            .expect("Page.enable");
        cdp.send_raw(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": script }),
        )
        .await
        .expect("a script for new documents");
    }

    /// Runs a script (its `return` value comes back as JSON).
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.driver
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
            .json()
            .clone()
    }

    /// The page's localStorage entries whose key starts with `prefix`.
    pub async fn local_storage(&self, prefix: &str) -> BTreeMap<String, String> {
        let all = self
            .js("const out = {};\
                 for (let i = 0; i < localStorage.length; i++) {\
                   const k = localStorage.key(i); out[k] = localStorage.getItem(k);\
                 }\
                 return out;")
            .await;
        serde_json::from_value::<BTreeMap<String, String>>(all)
            .expect("string entries")
            .into_iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .collect()
    }

    /// Fills localStorage with junk (keys `junk.N`) until the browser refuses even a tiny
    /// write, as on a device whose storage is full. Returns how many junk keys were written.
    pub async fn fill_local_storage(&self) -> u64 {
        let n = self
            .js("let n = 0, size = 1 << 20;\
                 while (size >= 1) {\
                   try { localStorage.setItem('junk.' + n, 'x'.repeat(size)); n++; }\
                   catch (e) { size = size >> 1; }\
                 }\
                 return n;")
            .await;
        n.as_u64().expect("a count")
    }

    /// Removes the junk [`Browser::fill_local_storage`] wrote.
    pub async fn free_local_storage(&self) {
        self.js(
            "Object.keys(localStorage).filter(k => k.startsWith('junk.'))\
               .forEach(k => localStorage.removeItem(k)); return true;",
        )
        .await;
    }

    pub async fn quit(mut self) {
        let _ = self.driver.clone().quit().await;
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

/// A test that panics never reaches [`Browser::quit`]: its ChromeDriver (and with it the
/// browser) goes anyway.
impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

/// Waits for a finished download in `dir` whose name starts with `prefix` (Chromium writes
/// `.crdownload` files until it is done) and returns its path.
pub async fn wait_for_download(dir: &Path, prefix: &str, within: Duration) -> PathBuf {
    let deadline = Instant::now() + within;
    loop {
        let done = std::fs::read_dir(dir)
            .expect("the download folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                name.is_some_and(|n| n.starts_with(prefix) && !n.ends_with(".crdownload"))
            });
        if let Some(path) = done {
            return path;
        }
        assert!(
            Instant::now() < deadline,
            "no download {prefix}* in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A sample focus-group guide of `surveys/`, parsed with the core (the file must have no errors).
pub fn sample_guide(id: &str) -> voci_core::guide::Guide {
    let path = root().join("surveys").join(format!("{id}.toml"));
    let text = std::fs::read_to_string(&path).expect("the sample guide exists");
    let (guide, diags) = voci_core::files::parse_guide(&path.to_string_lossy(), &text);
    guide.unwrap_or_else(|| panic!("the sample guide parses: {diags:?}"))
}

/// CSV text as rows of cells (the header is the first row).
pub fn parse_csv(body: &str) -> Vec<Vec<String>> {
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

impl Collector {
    /// `GET path` (from `/api/...`) with the admin token, straight to the collector (not
    /// through the switch); the body, after checking the status is a success.
    pub async fn admin_get(&self, path: &str) -> String {
        reqwest::Client::new()
            .get(format!("{}{path}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("the collector answers")
            .error_for_status()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
            .text()
            .await
            .expect("a body")
    }

    /// [`Collector::admin_get`] read as JSON.
    pub async fn admin_json(&self, path: &str) -> serde_json::Value {
        serde_json::from_str(&self.admin_get(path).await)
            .unwrap_or_else(|e| panic!("GET {path} is not JSON: {e}"))
    }

    /// [`Collector::admin_get`] read as CSV rows (header first).
    pub async fn admin_csv(&self, path: &str) -> Vec<Vec<String>> {
        parse_csv(&self.admin_get(path).await)
    }
}

/// What respondent `who` answers to a question the way the browser tests do (a choice among
/// those `offered` now, 15 within the bounds, a sentence with a comma...); `None` for what takes
/// no answer. The browser tests click and type these, and keep them on an engine sheet to know
/// what the survey's logic shows next.
pub fn sample_answer(
    q: &voci_core::Question,
    offered: &[&voci_core::Choice],
    who: usize,
) -> Option<voci_core::Answer> {
    use voci_core::{Answer, QuestionKind};
    // "Other" asks for more typing; the logic tests pick it on purpose.
    let plain: Vec<&&voci_core::Choice> = offered
        .iter()
        .filter(|c| c.id.as_str() != "other")
        .collect();
    Some(match &q.kind {
        QuestionKind::Single { .. } | QuestionKind::Likert { .. } => {
            Answer::Text(plain.get(who % plain.len().max(1))?.id.to_string())
        }
        QuestionKind::Multiple { min, .. } => Answer::Choices(
            plain
                .iter()
                .take(min.unwrap_or(1).max(1) as usize)
                .map(|c| c.id.to_string())
                .collect(),
        ),
        QuestionKind::Ranking { choices } => {
            Answer::Choices(choices.iter().map(|c| c.id.to_string()).collect())
        }
        QuestionKind::Integer { min, max } => Answer::Number(
            15_i64
                .max(min.unwrap_or(i64::MIN))
                .min(max.unwrap_or(i64::MAX))
                .into(),
        ),
        QuestionKind::Number { min, max } => Answer::Number(
            15_i64
                .max(min.map_or(i64::MIN, |m| m.ceil() as i64))
                .min(max.map_or(i64::MAX, |m| m.floor() as i64))
                .into(),
        ),
        QuestionKind::Range { min, .. } => Answer::Number((min.ceil() as i64).into()),
        QuestionKind::Text { .. } | QuestionKind::LongText { .. } => {
            Answer::Text(format!("risposta {who}, con una virgola"))
        }
        QuestionKind::Date => Answer::Text("2026-11-23".into()),
        QuestionKind::Time => Answer::Text("10:30".into()),
        QuestionKind::DateTime => Answer::Text("2026-11-23T10:30".into()),
        QuestionKind::Acknowledge => Answer::Text("OK".into()),
        QuestionKind::Note | QuestionKind::Calculate { .. } | QuestionKind::Matrix { .. } => {
            return None;
        }
    })
}

/// A copy of the repository's `surveys/` in a temporary folder, where the surveys named in
/// `enrolled` say `collection = "enrolled"`: they take responses only from enrolled devices.
/// Keep the folder for as long as the collector that publishes it runs.
pub fn surveys_enrolled(enrolled: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let from = root().join("surveys");
    for entry in std::fs::read_dir(&from).expect("surveys/ is readable") {
        let path = entry.expect("a directory entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !path.is_file() {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).expect("a survey file");
        if enrolled.iter().any(|id| name == format!("{id}.toml")) {
            let at = text
                .find("\nversion = ")
                .unwrap_or_else(|| panic!("{name} has a top-level version"));
            text.insert_str(at + 1, "collection = \"enrolled\"\n");
        }
        std::fs::write(dir.path().join(name), text).expect("write the copy");
    }
    dir
}

impl Collector {
    /// `method path` (from `/api/...`) with the admin token and a JSON body, straight to the
    /// collector: the status and the JSON answer (`Null` for an empty body).
    pub async fn admin_send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let res = request.send().await.expect("the collector answers");
        let status = res.status().as_u16();
        let text = res.text().await.expect("a body");
        let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        (status, json)
    }
}
