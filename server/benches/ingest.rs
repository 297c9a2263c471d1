//! Collector ingest rate (not a test): responses per second, durable, posted in batches by many
//! concurrent clients on loopback to a real collector, next to a plain SQLite insert of the
//! same rows with the same durability settings, in the same run.
//!
//! `cargo bench -p voci-server --bench ingest` (figures go in BENCHMARKS.md).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, TransactionBehavior, params};
use tokio::net::TcpListener;
use voci_core::sync::{BatchReply, BatchRequest};
use voci_core::{Response, ResponseId};
use voci_server::{Config, open, run};

const RESPONSES: usize = 20_000;
const BATCH: usize = 20;
const CLIENTS: usize = 50;

const SURVEY: &str = r#"
id = "panca"
version = "1"
title = "Banco di prova"
languages = ["it"]

[[question]]
id = "eta"
type = "integer"
label = "Età"
required = true
min = 11
max = 35

[[question]]
id = "attivita"
type = "multiple"
label = "Attività"
choices = [{ id = "sport", label = "Sport" }, { id = "musica", label = "Musica" }]

[[question]]
id = "scuola"
type = "single"
label = "Scuola"
choices = [{ id = "media", label = "Media" }, { id = "superiore", label = "Superiore" }]

[[question]]
id = "commento"
type = "long_text"
label = "Commento"
max_length = 500
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

/// Each side runs this many times, alternately, on fresh databases; the median counts.
const ROUNDS: usize = 3;

fn main() {
    let responses = responses(RESPONSES);
    println!(
        "{RESPONSES} responses in batches of {BATCH}, {CLIENTS} concurrent clients, WAL + synchronous=FULL, median of {ROUNDS} runs"
    );
    let (mut collector_runs, mut plain_runs) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        plain_runs.push(plain_sqlite(&dir.path().join("plain.sqlite3"), &responses));
        collector_runs.push(collector(dir.path(), &responses));
    }
    let rate = |runs: &mut Vec<Duration>| {
        runs.sort();
        RESPONSES as f64 / runs[runs.len() / 2].as_secs_f64()
    };
    let (collector, plain) = (rate(&mut collector_runs), rate(&mut plain_runs));
    println!("collector:    {collector:>8.0} responses/s");
    println!(
        "plain SQLite: {plain:>8.0} responses/s ({} transactions of {BATCH} rows, one thread)",
        RESPONSES / BATCH
    );
    println!(
        "ratio:        {:.0}% of plain SQLite",
        100.0 * collector / plain
    );
}

/// `n` different valid responses.
fn responses(n: usize) -> Vec<Response> {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    (0..n)
        .map(|i| {
            let mut bytes = [0u8; 16];
            for chunk in bytes.chunks_mut(8) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                chunk.copy_from_slice(&seed.to_le_bytes());
            }
            serde_json::from_value(serde_json::json!({
                "id": ResponseId::from_random_bytes(bytes).to_string(),
                "survey": "panca",
                "version": "1",
                "site": "d/m/s",
                "language": "it",
                "submitted_at": "2026-03-02",
                "answers": {
                    "eta": 11 + i % 25,
                    "attivita": ["sport", "musica"],
                    "scuola": "media",
                    "commento": format!("risposta numero {i}, con qualche parola in più"),
                },
            }))
            .unwrap()
        })
        .collect()
}

/// The same rows the collector stores, inserted with the collector's durability settings, one
/// transaction per batch, from one thread.
fn plain_sqlite(path: &Path, responses: &[Response]) -> Duration {
    let mut conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch(
        "CREATE TABLE responses (id TEXT PRIMARY KEY, survey TEXT NOT NULL, version TEXT NOT NULL,
            site TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL);
         CREATE INDEX responses_by_survey ON responses (survey, received_at);",
    )
    .unwrap();
    let rows: Vec<[String; 5]> = responses
        .iter()
        .map(|r| {
            [
                r.id.to_string(),
                r.survey.to_string(),
                r.version.clone(),
                r.site.to_string(),
                r.canonical_json(),
            ]
        })
        .collect();
    let start = Instant::now();
    for batch in rows.chunks(BATCH) {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO responses (id, survey, version, site, payload, received_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                )
                .unwrap();
            for [id, survey, version, site, payload] in batch {
                insert
                    .execute(params![id, survey, version, site, payload])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    start.elapsed()
}

/// A collector on port 0 and `CLIENTS` clients posting the batches as fast as it answers.
fn collector(dir: &Path, responses: &[Response]) -> Duration {
    let surveys = dir.join("surveys");
    std::fs::create_dir_all(&surveys).unwrap();
    std::fs::write(surveys.join("panca.toml"), SURVEY).unwrap();
    std::fs::write(surveys.join("sites.toml"), SITES).unwrap();
    let config = Config {
        surveys_dir: surveys,
        data_dir: dir.join("data"),
        app_dir: dir.join("app"),
    };
    // Serialised beforehand: the clients' own JSON work is not the collector's.
    let bodies: Arc<Vec<String>> = Arc::new(
        responses
            .chunks(BATCH)
            .map(|batch| {
                serde_json::to_string(&BatchRequest {
                    responses: batch.to_vec(),
                })
                .unwrap()
            })
            .collect(),
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let elapsed = runtime.block_on(async {
        let opened = open(&config).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/api/responses/batch",
            listener.local_addr().unwrap()
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(run(listener, opened.state, async {
            let _ = stopped.await;
        }));
        let next = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (bodies, next, url) = (bodies.clone(), next.clone(), url.clone());
                tokio::spawn(async move {
                    let client = reqwest::Client::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(body) = bodies.get(i) else { break };
                        let res = client
                            .post(&url)
                            .header("content-type", "application/json")
                            .body(body.clone())
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(res.status(), 200);
                        let reply: BatchReply = res.json().await.unwrap();
                        assert!(reply.results.iter().all(|r| r.status.acknowledged()));
                    }
                })
            })
            .collect();
        for client in clients {
            client.await.unwrap();
        }
        let elapsed = start.elapsed();
        let _ = stop.send(());
        server.await.unwrap().unwrap();
        elapsed
    });
    let db = Connection::open_with_flags(
        config.db_path(),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap();
    let stored: i64 = db
        .query_row("SELECT count(*) FROM responses", [], |row| row.get(0))
        .unwrap();
    assert_eq!(stored, RESPONSES as i64, "every response stored once");
    elapsed
}
