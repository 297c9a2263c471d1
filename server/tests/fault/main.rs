//! The fault test: simulated devices send 2,000 responses through a proxy that drops and cuts
//! connections at random (seeded), while the collector (the real `voci` binary) is killed and
//! restarted on the same database. At the end every response is stored exactly once.
//!
//! The devices follow the app's rules (`voci_core::sync::settle`): a response leaves a device's
//! outbox only when the collector acknowledged that very response; anything else is resent.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use voci_core::sync::{Backoff, BatchReply, BatchRequest, ItemStatus, Settle, settle};
use voci_core::{Response, ResponseId};

const DEVICES: usize = 20;
const PER_DEVICE: usize = 100;
const TOTAL: usize = DEVICES * PER_DEVICE;
/// The app's batch size.
const BATCH: usize = 20;
/// Each connection is dropped before its request reaches the collector with this chance, and
/// cut after the collector answered (before the device hears the answer) with the same chance.
const DROP: f64 = 0.15;
const CUT: f64 = 0.15;
/// The collector is killed and restarted when this share of responses is acknowledged.
const RESTART_AT: [f64; 4] = [0.2, 0.4, 0.6, 0.8];
/// Everything must be over by then.
const DEADLINE: Duration = Duration::from_secs(50);
const SEED: u64 = 0x5eed_2026_0302_1015;

const SURVEY: &str = r#"
id = "prova"
version = "1"
title = "Prova"
languages = ["it"]

[[question]]
id = "n"
type = "integer"
label = "Numero"
required = true

[[question]]
id = "nota"
type = "text"
label = "Nota"
"#;

const SITES: &str = r#"
[[district]]
id = "d"
name = "D"

[[district.municipality]]
id = "m"
name = "M"

[[district.municipality.site]]
id = "s"
name = "S"
kind = "school"
"#;

/// A small xorshift generator: seeded, so a failing run can be looked at again.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// In [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Debug, Default)]
struct Counts {
    requests: AtomicU64,
    failed: AtomicU64,
    dropped: AtomicU64,
    cut: AtomicU64,
    unreachable: AtomicU64,
    restarts: AtomicU64,
    stored: AtomicU64,
    duplicates: AtomicU64,
    /// Responses acknowledged (removed from an outbox).
    acknowledged: AtomicU64,
}

impl Counts {
    fn get(n: &AtomicU64) -> u64 {
        n.load(Ordering::Relaxed)
    }

    fn add(n: &AtomicU64, k: u64) {
        n.fetch_add(k, Ordering::Relaxed);
    }

    fn summary(&self) -> String {
        let failed = Self::get(&self.failed);
        let (dropped, cut, down) = (
            Self::get(&self.dropped),
            Self::get(&self.cut),
            Self::get(&self.unreachable),
        );
        format!(
            "requests sent {}, failed {failed} (dropped {dropped}, cut {cut}, collector down {down}, \
             killed mid-request {}), restarts {}, heard stored {}, heard duplicate {}, acknowledged {}",
            Self::get(&self.requests),
            failed.saturating_sub(dropped + cut + down),
            Self::get(&self.restarts),
            Self::get(&self.stored),
            Self::get(&self.duplicates),
            Self::get(&self.acknowledged),
        )
    }
}

/// The `voci serve` process; killed when dropped, so a failing test leaves nothing running.
struct Collector {
    child: Child,
}

impl Collector {
    fn start(folders: &Path, addr: SocketAddr) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_voci"))
            .arg("serve")
            .arg("--surveys")
            .arg(folders.join("surveys"))
            .arg("--data")
            .arg(folders.join("data"))
            .arg("--app")
            .arg(folders.join("app"))
            .arg("--addr")
            .arg(addr.to_string())
            .stdout(Stdio::null())
            .spawn()
            .expect("voci starts");
        Self { child }
    }

    /// Waits until the collector answers on `addr` (directly, not through the proxy).
    async fn wait_ready(&mut self, addr: SocketAddr) {
        let client = reqwest::Client::new();
        let url = format!("http://{addr}/api/health");
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the collector exited at start ({status}); is {addr} taken?");
            }
            let answer = client
                .get(&url)
                .timeout(Duration::from_secs(1))
                .send()
                .await;
            if answer.is_ok_and(|res| res.status() == 200) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// SIGKILL: no graceful shutdown, requests under way are cut wherever they are.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Forwards connections to `upstream`, dropping or cutting some of them as the seed decides.
async fn proxy(listener: TcpListener, upstream: SocketAddr, counts: Arc<Counts>) {
    let mut rng = Rng(SEED);
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        let roll = rng.unit();
        let counts = counts.clone();
        tokio::spawn(async move {
            if roll < DROP {
                // Closed before anything reaches the collector.
                Counts::add(&counts.dropped, 1);
                drop(client);
            } else {
                forward(client, upstream, roll < DROP + CUT, &counts).await;
            }
        });
    }
}

async fn forward(mut client: TcpStream, upstream: SocketAddr, cut: bool, counts: &Counts) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        // The collector is down (killed, restarting).
        Counts::add(&counts.unreachable, 1);
        return;
    };
    if !cut {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        return;
    }
    let (mut client_read, _client_write) = client.split();
    let (mut server_read, mut server_write) = server.split();
    let request = tokio::io::copy(&mut client_read, &mut server_write);
    let mut first = [0u8; 1];
    // The request goes through; once the collector starts answering (it has committed by then),
    // both connections are closed and the device never hears the answer.
    tokio::select! {
        _ = request => {}
        _ = server_read.read(&mut first) => {}
    }
    Counts::add(&counts.cut, 1);
}

/// One tablet: an outbox, a "needs attention" list, and the app's sync rules.
struct Device {
    outbox: Vec<Response>,
    attention: Vec<(String, String)>,
}

async fn run_device(
    mut device: Device,
    url: String,
    seed: u64,
    counts: Arc<Counts>,
    progress: Arc<Notify>,
) -> Device {
    // One connection per request, so the proxy's fate falls on each request.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut rng = Rng(seed);
    let mut backoff = Backoff::default();
    while !device.outbox.is_empty() {
        let batch: Vec<Response> = device.outbox.iter().take(BATCH).cloned().collect();
        let sent: Vec<String> = batch.iter().map(|r| r.id.to_string()).collect();
        Counts::add(&counts.requests, 1);
        let reply = match post(&client, &url, batch).await {
            Ok(reply) => reply,
            Err(_) => {
                Counts::add(&counts.failed, 1);
                // The app's backoff, a hundred times faster, capped at 50 ms.
                let delay = (backoff.failed(rng.unit()) / 100).min(50);
                tokio::time::sleep(Duration::from_millis(delay)).await;
                continue;
            }
        };
        backoff.succeeded();
        for r in &reply.results {
            match r.status {
                ItemStatus::Stored => Counts::add(&counts.stored, 1),
                ItemStatus::Duplicate => Counts::add(&counts.duplicates, 1),
                _ => {}
            }
        }
        for outcome in settle(&sent, &reply) {
            match outcome {
                Settle::Remove(id) => {
                    device.outbox.retain(|r| r.id.as_str() != id);
                    Counts::add(&counts.acknowledged, 1);
                }
                Settle::Attention { id, reason } => {
                    device.outbox.retain(|r| r.id.as_str() != id);
                    device.attention.push((id, reason));
                }
                Settle::Keep(_) => {}
            }
        }
        progress.notify_one();
    }
    device
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    responses: Vec<Response>,
) -> Result<BatchReply, String> {
    let res = client
        .post(url)
        .json(&BatchRequest { responses })
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if res.status() != 200 {
        return Err(format!("status {}", res.status()));
    }
    res.json().await.map_err(|e| e.to_string())
}

/// The responses of every device: distinct ids, distinct answers.
fn outboxes() -> Vec<Vec<Response>> {
    let mut rng = Rng(SEED ^ 0xdead_beef);
    (0..DEVICES)
        .map(|d| {
            (0..PER_DEVICE)
                .map(|i| {
                    let mut bytes = [0u8; 16];
                    bytes[..8].copy_from_slice(&rng.next().to_le_bytes());
                    bytes[8..].copy_from_slice(&rng.next().to_le_bytes());
                    serde_json::from_value(serde_json::json!({
                        "id": ResponseId::from_random_bytes(bytes).to_string(),
                        "survey": "prova",
                        "version": "1",
                        "site": "d/m/s",
                        "language": "it",
                        "submitted_at": "2026-03-02",
                        "answers": { "n": d * PER_DEVICE + i, "nota": format!("tablet {d}") },
                    }))
                    .unwrap()
                })
                .collect()
        })
        .collect()
}

fn folders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let surveys = dir.path().join("surveys");
    std::fs::create_dir_all(&surveys).unwrap();
    std::fs::write(surveys.join("prova.toml"), SURVEY).unwrap();
    std::fs::write(surveys.join("sites.toml"), SITES).unwrap();
    std::fs::create_dir_all(dir.path().join("app")).unwrap();
    dir
}

/// A port nobody listens on now; the collector gets it with `--addr`, so restarts reuse it.
fn free_address() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// Every stored response: id → payload, read beside the running collector.
fn stored(db: &Path) -> (i64, HashMap<String, String>) {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM responses", [], |row| row.get(0))
        .unwrap();
    let mut stmt = conn.prepare("SELECT id, payload FROM responses").unwrap();
    let payloads = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (rows, payloads)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_is_stored_exactly_once_despite_drops_cuts_and_crashes() {
    let counts = Arc::new(Counts::default());
    let run = scenario(counts.clone());
    match tokio::time::timeout(DEADLINE, run).await {
        Ok(rows) => println!("fault test: {}; in the database {rows}", counts.summary()),
        Err(_) => panic!(
            "the fault test did not finish within {} s: {}",
            DEADLINE.as_secs(),
            counts.summary()
        ),
    }
}

async fn scenario(counts: Arc<Counts>) -> i64 {
    let dir = folders();
    let addr = free_address();
    let mut collector = Collector::start(dir.path(), addr);
    collector.wait_ready(addr).await;

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/api/responses/batch",
        listener.local_addr().unwrap()
    );
    let proxy = tokio::spawn(proxy(listener, addr, counts.clone()));

    let all = outboxes();
    let progress = Arc::new(Notify::new());
    let devices: Vec<_> = all
        .iter()
        .enumerate()
        .map(|(d, outbox)| {
            let device = Device {
                outbox: outbox.clone(),
                attention: Vec::new(),
            };
            tokio::spawn(run_device(
                device,
                url.clone(),
                SEED.wrapping_add(d as u64 + 1),
                counts.clone(),
                progress.clone(),
            ))
        })
        .collect();

    for share in RESTART_AT {
        let target = (share * TOTAL as f64) as u64;
        while Counts::get(&counts.acknowledged) < target {
            progress.notified().await;
        }
        collector.kill();
        Counts::add(&counts.restarts, 1);
        collector = Collector::start(dir.path(), addr);
        collector.wait_ready(addr).await;
    }

    let mut attention = Vec::new();
    for device in devices {
        let device = device.await.unwrap();
        assert!(device.outbox.is_empty());
        attention.extend(device.attention);
    }
    proxy.abort();
    assert!(attention.is_empty(), "needs attention: {attention:?}");

    let (rows, payloads) = stored(&dir.path().join("data").join(voci_server::DB_FILE));
    let expected: HashMap<String, String> = all
        .iter()
        .flatten()
        .map(|r| (r.id.to_string(), r.canonical_json()))
        .collect();
    assert_eq!(expected.len(), TOTAL);
    assert_eq!(rows, TOTAL as i64, "{}", counts.summary());
    assert_eq!(payloads.len(), TOTAL, "every id once");
    let missing = expected
        .iter()
        .filter(|(id, payload)| payloads.get(*id) != Some(payload))
        .count();
    assert_eq!(missing, 0, "responses missing or changed");
    assert_eq!(Counts::get(&counts.restarts), RESTART_AT.len() as u64);
    // The faults did happen, and a cut answer came back as a duplicate when resent.
    assert!(Counts::get(&counts.dropped) > 0 && Counts::get(&counts.cut) > 0);
    assert!(Counts::get(&counts.duplicates) > 0, "{}", counts.summary());
    drop(collector);
    rows
}
